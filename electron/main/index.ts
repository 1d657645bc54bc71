/**
 * Electron main process: a thin host. The engine runs in a utility process; main serves the UI
 * from app://bundle, relays calls from our own frame only, keeps secrets with safeStorage and
 * owns the windows. Tray, schedule, notifications and login items are still to come.
 */
import { app, BrowserWindow, ipcMain, net, protocol, safeStorage, session, shell, utilityProcess, webContents } from "electron";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { FromEngine } from "../engine/host/engineHost.js";
import { sealedFileSecrets } from "../engine/secrets.js";
import { bundlePath, handleEngineMessage, isOwnFrame, withAppHeaders } from "./relay.js";
import { createMainWindow } from "./window.js";

const dist = join(import.meta.dirname, "..", "..");
const uiDir = join(dist, "renderer");

// Every renderer sandboxed, whatever a window's own options say.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: "app", privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => {
    protocol.handle("app", (request) => {
      const file = bundlePath(request.url, uiDir);
      return file ? withAppHeaders(net.fetch(pathToFileURL(file).href)) : new Response("Not found", { status: 404 });
    });
    if (process.platform === "linux" && safeStorage.getSelectedStorageBackend() === "basic_text") {
      console.warn("No keyring found (GNOME Keyring or KWallet): passwords are stored with a fixed key, readable by anyone who can read your files.");
    }
    const secrets = sealedFileSecrets(join(app.getPath("userData"), "secrets.json"), {
      seal: (plain) => safeStorage.encryptStringAsync(plain),
      open: async (sealed) => (await safeStorage.decryptStringAsync(sealed)).result,
    });
    // npm start (or the packaged app) names the better-sqlite3 built for Electron in BSS_SQLITE_BINDING.
    const engine = utilityProcess.fork(join(dist, "electron", "engine", "host", "utility.js"), [join(app.getPath("userData"), "profile.sqlite")], { serviceName: "Backscatter Sweeper engine", env: { ...process.env } });
    const deps = {
      broadcast: (message: unknown) => webContents.getAllWebContents().forEach((wc) => isOwnFrame(wc.getURL()) && wc.send("rpc", message)),
      toEngine: (message: unknown) => engine.postMessage(message),
      secrets,
    };
    engine.on("message", (message: FromEngine) => void handleEngineMessage(message, deps));
    ipcMain.on("rpc", (event, request: unknown) => {
      if (isOwnFrame(event.senderFrame?.url)) engine.postMessage({ type: "rpc", request });
    });
    createMainWindow({ BrowserWindow, session, shell }, join(import.meta.dirname, "..", "preload", "index.cjs"), "app://bundle/index.html");
  });
  app.on("window-all-closed", () => app.quit());
}
