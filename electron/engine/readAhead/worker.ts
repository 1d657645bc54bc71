/**
 * Entry point of the read-ahead worker thread (see reader.ts): on a connection of its own it
 * opens the folder read-only (EXAMINE) and reads phase 1 of a scan chunk by chunk (each in parts
 * of `fetchUids`, gated and their rows packed as they arrive), holding up to `lookaheadBytes` of
 * packed chunks until the scanner asks for the next. It only reads; whatever goes wrong, it says
 * so and ends, and the scanner reads the rest itself.
 */
import { parentPort, workerData } from "node:worker_threads";
import { splitUidRange, uidChunks } from "../context.js";
import { ImapSession } from "../imap/session.js";
import { gateChunk, gateMore } from "./gate.js";
import { packChunk, packRows, type FromWorker, type ReadAheadTask, type ToWorker } from "./protocol.js";

if (!parentPort) throw new Error("This file runs as a worker thread of the scanner.");
const port = parentPort;
const task = workerData as ReadAheadTask;

/** Messages read and not yet asked for (and their chunks' bytes), the requests not yet answered, and who waits for a change. */
const ready: FromWorker[] = [];
let heldBytes = 0;
let asked = 0;
let changed: (() => void) | null = null;
const answer = (): void => {
  while (asked > 0 && ready.length > 0) {
    const message = ready.shift();
    if (!message) break;
    asked--;
    if (message.kind === "chunk") heldBytes -= message.chunk.byteLength;
    // A chunk's bytes move to the host's thread (transferred, not copied).
    port.postMessage(message, message.kind === "chunk" ? [message.chunk.buffer] : []);
  }
  changed?.();
  changed = null;
};
const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise<void>((resolve) => (changed = resolve));
};
port.on("message", (message: ToWorker) => {
  if (message.kind !== "next") return;
  asked++;
  answer();
});
const hold = (message: FromWorker): void => {
  if (message.kind === "chunk") heldBytes += message.chunk.byteLength;
  ready.push(message);
  answer();
};

let session: ImapSession | null = null;
try {
  const s = (session = await ImapSession.open({ account: task.account, secret: task.secret }));
  await s.inFolder(
    task.folder,
    async (open) => {
      for (const range of uidChunks(task.afterUid + 1, Math.max(task.afterUid + 1, open.uidNext - 1), task.chunkSize)) {
        await until(() => heldBytes < task.lookaheadBytes);
        const gated = gateChunk(range, [], task.afterUid);
        const packedRows: Buffer[] = [];
        for (const part of splitUidRange(range, task.fetchUids)) {
          gateMore(gated, await s.triageRows(part), task.afterUid);
          packedRows.push(packRows(gated.hinted.splice(0)));
        }
        hold({ kind: "chunk", uidValidity: open.uidValidity, chunk: packChunk(gated, packedRows), bytes: s.bytesRead() });
      }
    },
    { readOnly: true },
  );
  await s.close();
  hold({ kind: "end", bytes: s.bytesRead() });
} catch (error) {
  await session?.close();
  hold({ kind: "failed", message: error instanceof Error ? error.message : String(error), bytes: session?.bytesRead() ?? 0 });
} finally {
  // What was read is handed over before the thread ends (the host stops it sooner if it is done).
  await until(() => ready.length === 0);
  port.close();
}
