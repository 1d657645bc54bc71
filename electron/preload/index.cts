/**
 * The preload exposes one typed bridge to the page and nothing else: send a request, receive
 * answers and events. It is CommonJS because sandboxed preloads cannot be ES modules.
 */
import electron = require("electron");

electron.contextBridge.exposeInMainWorld("backscatter", {
  send: (request: unknown) => electron.ipcRenderer.send("rpc", request),
  onMessage: (listener: (message: unknown) => void) => {
    electron.ipcRenderer.on("rpc", (_event, message: unknown) => listener(message));
  },
});
