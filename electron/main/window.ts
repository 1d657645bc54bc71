/**
 * The one place windows are made. Every window: sandboxed, context-isolated, no Node in the
 * page, navigation and pop-ups denied, permission requests refused.
 */
import { BrowserWindow, session, shell } from "electron";

/** Only these https origins may be opened in the user's browser (help pages). */
export const EXTERNAL_ALLOW_LIST = ["https://github.com"];

export function isAllowedExternal(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" && EXTERNAL_ALLOW_LIST.some((origin) => parsed.origin === origin);
  } catch {
    return false;
  }
}

export function createMainWindow(preload: string, indexUrl: string): BrowserWindow {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    title: "Backscatter Sweeper",
    webPreferences: { preload, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true },
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: "deny" };
  });
  win.webContents.on("will-navigate", (event) => event.preventDefault());
  void win.loadURL(indexUrl);
  return win;
}
