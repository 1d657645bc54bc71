/**
 * The one place windows are made, following Electron's security checklist: sandboxed,
 * context-isolated, no Node in the page or its frames and workers, web security on, no insecure
 * content, no experimental or extra Blink features (and middle-click's auxclick off), no
 * <webview>, navigation and redirects refused, pop-ups denied (https links on the allow-list
 * open in the user's browser), permission requests and checks refused. The Electron pieces come
 * in as arguments so tests can hand in fakes: the binary cannot run on our build machines.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, Shell } from "electron";

/** Only these https origins may be opened in the user's browser: help pages, and the Google and Microsoft sign-in pages. */
export const EXTERNAL_ALLOW_LIST = ["https://github.com", "https://accounts.google.com", "https://login.microsoftonline.com"];

export function isAllowedExternal(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" && EXTERNAL_ALLOW_LIST.some((origin) => parsed.origin === origin);
  } catch {
    return false;
  }
}

/** Every window's webPreferences; the preload is the only thing that varies. */
export function secureWebPreferences(preload: string): NonNullable<BrowserWindowConstructorOptions["webPreferences"]> {
  return {
    preload,
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
  };
}

export interface WindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  session: { defaultSession: Pick<Session, "setPermissionRequestHandler" | "setPermissionCheckHandler"> };
  shell: Pick<Shell, "openExternal">;
}

export function createMainWindow(electron: WindowDeps, preload: string, indexUrl: string): BrowserWindow {
  const { defaultSession } = electron.session;
  defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  defaultSession.setPermissionCheckHandler(() => false);
  const win = new electron.BrowserWindow({ width: 1100, height: 760, title: "Backscatter Sweeper", show: true, webPreferences: secureWebPreferences(preload) });
  const { webContents } = win;
  webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void electron.shell.openExternal(url);
    return { action: "deny" };
  });
  webContents.on("will-navigate", (event) => event.preventDefault());
  webContents.on("will-redirect", (event) => event.preventDefault());
  webContents.on("will-attach-webview", (event) => event.preventDefault());
  void win.loadURL(indexUrl);
  return win;
}
