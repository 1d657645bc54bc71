// Electron's security checklist, item by item, without the Electron binary (it cannot run on our
// build machines): the window factory driven with fakes of the Electron pieces it gets, checks of
// the main process, preload, page and packaging sources, and Doyensec's electronegativity with
// every high or medium finding explained (electron/electronegativity.json).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { APP_CSP, withAppHeaders } from "../../electron/main/relay.js";
import { createMainWindow, isAllowedExternal, type WindowDeps } from "../../electron/main/window.js";
import { REPO_ROOT } from "../harness/paths.js";

const source = (path: string): string => readFileSync(join(REPO_ROOT, path), "utf8");

type Handler = (...args: unknown[]) => unknown;

/** A BrowserWindow stand-in that records what the factory asks of it. */
class FakeWindow {
  static made: FakeWindow[] = [];
  readonly events = new Map<string, Handler>();
  openHandler: Handler | null = null;
  loaded = "";
  readonly webContents = {
    setWindowOpenHandler: (h: Handler) => void (this.openHandler = h),
    on: (name: string, h: Handler) => void this.events.set(name, h),
  };
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    FakeWindow.made.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loaded = url;
    return Promise.resolve();
  }
}

function makeWindow(): { win: FakeWindow; opened: string[]; permission: Handler; check: Handler } {
  const opened: string[] = [];
  let permission: Handler = () => undefined;
  let check: Handler = () => true;
  const deps = {
    BrowserWindow: FakeWindow,
    session: {
      defaultSession: { setPermissionRequestHandler: (h: Handler) => void (permission = h), setPermissionCheckHandler: (h: Handler) => void (check = h) },
    },
    shell: { openExternal: async (url: string) => void opened.push(url) },
  } as unknown as WindowDeps;
  createMainWindow(deps, "/app/preload/index.cjs", "app://bundle/index.html");
  const win = FakeWindow.made[FakeWindow.made.length - 1] as FakeWindow;
  return { win, opened, permission, check };
}

describe("every window (Electron's security checklist)", () => {
  it("is sandboxed and context-isolated, with no Node in the page, its frames or workers, web security on, nothing insecure or experimental", () => {
    const { win } = makeWindow();
    expect(win.options.webPreferences).toEqual({
      preload: "/app/preload/index.cjs",
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: "Auxclick",
    });
    expect(win.options.webPreferences).not.toHaveProperty("enableBlinkFeatures");
  });

  it("loads the app from app://, never file://", () => {
    expect(makeWindow().win.loaded).toBe("app://bundle/index.html");
  });

  it("refuses navigation, redirects and <webview> attachment", () => {
    const { win } = makeWindow();
    for (const name of ["will-navigate", "will-redirect", "will-attach-webview"]) {
      let prevented = false;
      win.events.get(name)?.({ preventDefault: () => (prevented = true) }, "https://evil.example/");
      expect(prevented, name).toBe(true);
    }
  });

  it("denies every new window; only allow-listed https links open, in the user's browser", () => {
    const { win, opened } = makeWindow();
    const tries = [
      "https://github.com/backscatter/help",
      "http://github.com/x",
      "https://github.com.evil.example/",
      "https://evil.example/",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "smb://host/share",
    ];
    for (const url of tries) expect(win.openHandler?.({ url })).toEqual({ action: "deny" });
    expect(opened).toEqual(["https://github.com/backscatter/help"]);
    expect(tries.filter(isAllowedExternal)).toEqual(["https://github.com/backscatter/help"]);
  });

  it("refuses every permission request and check", () => {
    const { permission, check } = makeWindow();
    for (const p of ["media", "geolocation", "notifications", "clipboard-read", "openExternal"]) {
      let granted: boolean | null = null;
      permission(null, p, (ok: boolean) => (granted = ok));
      expect(granted, p).toBe(false);
      expect(check(null, p), p).toBe(false);
    }
  });
});

describe("the main process, preload, page and package", () => {
  it("main: sandbox for all, one instance, IPC only from our own frame, our files with the CSP", () => {
    const main = source("electron/main/index.ts");
    expect(main.indexOf("app.enableSandbox()")).toBeGreaterThan(-1);
    expect(main.indexOf("app.enableSandbox()")).toBeLessThan(main.indexOf("app.whenReady()"));
    expect(main).toContain("app.requestSingleInstanceLock()");
    const ipc = [...main.matchAll(/ipcMain\.(?:on|handle)\([^]*?\}\);/g)].map((m) => m[0]);
    expect(ipc.length).toBeGreaterThan(0);
    for (const handler of ipc) expect(handler).toMatch(/isOwnFrame\(event\.senderFrame\?\.url\)/);
    expect(main).toContain("withAppHeaders(net.fetch(");
    // Secrets: safeStorage's async API, and a warning the user sees when Linux has no keyring.
    expect(main).toMatch(/seal: \(plain\) => safeStorage\.encryptStringAsync\(plain\)/);
    expect(main).toMatch(/getSelectedStorageBackend\(\) === "basic_text"/);
    expect(main).toMatch(/noKeyring && Notification\.isSupported\(\)\) new Notification\(\{ title: "Your password is not protected"/);
    for (const file of ["electron/main/index.ts", "electron/main/window.ts", "electron/main/relay.ts"]) {
      expect(source(file)).not.toMatch(
        /nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false|loadFile\(|file:\/\/.*loadURL|enableRemoteModule|allowpopups/,
      );
    }
  });

  it("preload: exposes one bridge (send, onMessage) and not ipcRenderer itself", () => {
    const preload = source("electron/preload/index.cts");
    expect([...preload.matchAll(/exposeInMainWorld\(/g)]).toHaveLength(1);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
    expect(preload).not.toMatch(/:\s*electron\.ipcRenderer\s*[,}]/);
    expect(preload).toMatch(/send: \(request: unknown\) => electron\.ipcRenderer\.send\("rpc", request\)/);
  });

  it("page, app:// responses and serve: a strict CSP with no inline or eval script and no remote sources", async () => {
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(source("renderer/index.html"))?.[1] ?? "";
    const served = /"Content-Security-Policy": `([^`]+)`/.exec(source("electron/engine/serve/server.ts"))?.[1] ?? "";
    for (const csp of [meta, APP_CSP, served]) {
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*|data:/);
    }
    const r = await withAppHeaders(Promise.resolve(new Response("<html></html>", { headers: { "Content-Type": "text/html" } })));
    expect(r.headers.get("Content-Security-Policy")).toBe(APP_CSP);
    expect(r.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(r.headers.get("Content-Type")).toBe("text/html");
  });

  it("package: the fuses set, better-sqlite3 unpacked from asar, a current Electron", () => {
    const yml = source("electron-builder.yml");
    for (const [fuse, value] of Object.entries({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })) {
      expect(yml).toMatch(new RegExp(`^  ${fuse}: ${value}$`, "m"));
    }
    expect(yml).toMatch(/asarUnpack:\n\s+- node_modules\/better-sqlite3\/\*\*/);
    const electron = (JSON.parse(source("node_modules/electron/package.json")) as { version: string }).version;
    expect(Number(electron.split(".")[0])).toBeGreaterThanOrEqual(45);
  });

  it("electronegativity: no high or medium finding left unexplained", { timeout: 120_000 }, () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "electronegativity.mjs")], { encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/electronegativity 45\.\d+\.\d+: \d+ findings, \d+ high or medium, 0 unexplained/);
  });
});
