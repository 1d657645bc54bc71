/**
 * Electron main process: a thin host. The engine runs in a utility process (scheduled scans
 * included); main serves the UI from app://bundle, relays calls from our own frame only, keeps
 * secrets with safeStorage, and owns the OS side: windows, the tray, notifications, launch at
 * login, a scan after the computer wakes.
 */
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
  utilityProcess,
  webContents,
} from "electron";
import { createClient } from "../../shared/rpc.js";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { FromEngine } from "../engine/host/engineHost.js";
import { sealedFileSecrets } from "../engine/secrets.js";
import { launchAtLogin } from "./loginItem.js";
import { bundlePath, handleEngineMessage, isOwnFrame, MAIN_FIRST_ID, withAppHeaders } from "./relay.js";
import { createTray } from "./tray.js";
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
    // Said where the user sees it, once per start: the password is then only obscured, not protected.
    const noKeyring = process.platform === "linux" && safeStorage.getSelectedStorageBackend() === "basic_text";
    const KEYRING_WARNING =
      "No keyring was found (GNOME Keyring or KWallet), so your mail password is stored with a fixed key: anyone who can read your files can read it. Install and unlock a keyring, then add the account again.";
    const secrets = sealedFileSecrets(join(app.getPath("userData"), "secrets.json"), {
      seal: (plain) => safeStorage.encryptStringAsync(plain),
      open: async (sealed) => (await safeStorage.decryptStringAsync(sealed)).result,
    });
    // npm start (or the packaged app) names the better-sqlite3 built for Electron in BSS_SQLITE_BINDING.
    const engine = utilityProcess.fork(join(dist, "electron", "engine", "host", "utility.js"), [join(app.getPath("userData"), "profile.sqlite")], {
      serviceName: "Backscatter Sweeper engine",
      env: { ...process.env },
    });
    // Main's own client of the engine (tray, wake from sleep), numbered apart from the windows'.
    const own = createClient(
      (request) => engine.postMessage({ type: "rpc", request }),
      (event) => tray.onEvent(event),
      MAIN_FIRST_ID,
    );
    const deps = {
      broadcast: (message: unknown) => webContents.getAllWebContents().forEach((wc) => isOwnFrame(wc.getURL()) && wc.send("rpc", message)),
      toMain: own.receive,
      toEngine: (message: unknown) => engine.postMessage(message),
      secrets,
    };
    engine.on("message", (message: FromEngine) => void handleEngineMessage(message, deps));
    ipcMain.on("rpc", (event, request: unknown) => {
      if (isOwnFrame(event.senderFrame?.url)) engine.postMessage({ type: "rpc", request });
    });
    const preload = join(import.meta.dirname, "..", "preload", "index.cjs");
    let win: BrowserWindow | null = null;
    const showWindow = (): void => {
      if (!win || win.isDestroyed()) win = createMainWindow({ BrowserWindow, session, shell }, preload, "app://bundle/index.html");
      else win.show();
      win.focus();
    };
    const icon = new Tray(nativeImage.createFromPath(join(uiDir, "tray.png")));
    const tray = createTray({
      client: own.client,
      setMenu: (items, tooltip) => {
        icon.setContextMenu(Menu.buildFromTemplate(items));
        icon.setToolTip(tooltip);
      },
      notify: (title, body) => Notification.isSupported() && new Notification({ title, body }).show(),
      showWindow,
      quit: () => app.quit(),
      launchAtLogin: launchAtLogin({ platform: process.platform, app, execPath: process.execPath }),
    });
    void tray.refresh();
    if (noKeyring && Notification.isSupported()) new Notification({ title: "Your password is not protected", body: KEYRING_WARNING }).show();
    powerMonitor.on("resume", () => tray.onResume());
    app.on("second-instance", showWindow);
    // Started at login: stay in the tray; otherwise open the window.
    if (!process.argv.includes("--hidden")) showWindow();
  });
  // Closing the window keeps the app in the tray, where scheduled scans go on; Quit ends it.
  app.on("window-all-closed", () => undefined);
}
