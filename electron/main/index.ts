/**
 * Electron main process. For now it opens the window; the engine host (utility process), tray,
 * schedule and secrets arrive with the desktop-app issue.
 */
import { app } from "electron";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createMainWindow } from "./window.js";

const root = join(import.meta.dirname, "..", "..", "..");

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => {
    createMainWindow(join(import.meta.dirname, "..", "preload", "index.cjs"), pathToFileURL(join(root, "renderer", "index.html")).href);
  });
  app.on("window-all-closed", () => app.quit());
}
