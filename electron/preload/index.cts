/**
 * The preload exposes a typed bridge to the page and nothing else. It is CommonJS because
 * sandboxed preloads cannot be ES modules. The engine contract comes with the desktop-app
 * issue; until then the page learns only which host it runs in.
 */
import electron = require("electron");

electron.contextBridge.exposeInMainWorld("backscatter", { host: "electron" as const });
