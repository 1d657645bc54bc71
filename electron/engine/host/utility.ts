/**
 * Entry point of Electron's utility process (`utilityProcess.fork`): the engine, off the main
 * process, talking to main through `process.parentPort`. `argv[2]`: the database path.
 */
import { runEngineHost, type ToEngine } from "./engineHost.js";
import { limitHeapGrowth } from "./heap.js";

interface ParentPort {
  on(event: "message", listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const dbPath = process.argv[2];
if (!parentPort || !dbPath) throw new Error("This file is started by the desktop app (Electron's utilityProcess) with the database path.");
limitHeapGrowth();
runEngineHost({ onMessage: (listener) => parentPort.on("message", (e) => listener(e.data as ToEngine)), post: (m) => parentPort.postMessage(m) }, dbPath);
