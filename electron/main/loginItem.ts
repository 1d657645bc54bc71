/**
 * Launch at login: macOS and Windows through Electron's login item settings; Linux (no such API)
 * through an XDG autostart entry in ~/.config/autostart, which desktops that follow the XDG spec
 * (GNOME, KDE, Xfce, ...) read at login. The app starts hidden in the tray (--hidden).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface LoginItemDeps {
  platform: NodeJS.Platform;
  /** Electron's app.getLoginItemSettings / setLoginItemSettings (macOS, Windows). */
  app: { getLoginItemSettings(): { openAtLogin: boolean }; setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void };
  execPath: string;
  /** $XDG_CONFIG_HOME, else ~/.config. */
  configHome?: string;
}

const ENTRY = "backscatter-sweeper.desktop";

export function autostartFile(deps: Pick<LoginItemDeps, "configHome">): string {
  return join(deps.configHome ?? process.env["XDG_CONFIG_HOME"] ?? join(homedir(), ".config"), "autostart", ENTRY);
}

/** The .desktop entry: Exec quoted as the spec asks, started hidden in the tray. */
export function autostartEntry(execPath: string): string {
  const exec = `"${execPath.replace(/(["`$\\])/g, "\\$1")}" --hidden`;
  return `[Desktop Entry]\nType=Application\nName=Backscatter Sweeper\nComment=Moves backscatter out of your inbox\nExec=${exec}\nTerminal=false\nX-GNOME-Autostart-enabled=true\n`;
}

export function launchAtLogin(deps: LoginItemDeps): { get(): boolean; set(enabled: boolean): void } {
  if (deps.platform !== "linux") {
    return {
      get: () => deps.app.getLoginItemSettings().openAtLogin,
      set: (enabled) => deps.app.setLoginItemSettings({ openAtLogin: enabled, args: ["--hidden"] }),
    };
  }
  const file = autostartFile(deps);
  return {
    get: () => existsSync(file),
    set(enabled) {
      if (!enabled) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(file, autostartEntry(deps.execPath), { mode: 0o644 });
    },
  };
}
