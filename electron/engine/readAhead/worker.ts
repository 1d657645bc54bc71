/**
 * Entry point of the read-ahead worker thread (see reader.ts): on a connection of its own it
 * opens the folder read-only (EXAMINE) and reads phase 1 of a scan chunk by chunk (each in parts
 * of `fetchUids`, gated and their rows packed as they arrive), holding up to `lookaheadBytes` of
 * packed chunks until the scanner asks for the next. When the host says it is waiting, more
 * connections join the read (up to `connections`). It only reads; whatever goes wrong, it says
 * so and ends, and the scanner reads the rest itself.
 */
import { parentPort, workerData } from "node:worker_threads";
import { splitUidRange, uidChunks } from "../context.js";
import { ImapSession } from "../imap/session.js";
import { addPart, gateChunk, type GatedChunk } from "./gate.js";
import { inTurn, type InTurn } from "./inTurn.js";
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
/** Whether the host asked for more connections (it waits for chunks), and what opens them once the read has begun. */
let widenAsked = false;
let wider: (() => void) | null = null;
const widen = (): void => {
  widenAsked = true;
  wider?.();
  wider = null;
};
port.on("message", (message: ToWorker) => {
  if (message.kind === "widen") return widen();
  asked++;
  answer();
});
const hold = (message: FromWorker): void => {
  if (message.kind === "chunk") heldBytes += message.chunk.byteLength;
  ready.push(message);
  answer();
};

const readers: ImapSession[] = [];
const bytesRead = (): number => readers.reduce((sum, s) => sum + s.bytesRead(), 0);
let closed = false;
const closeReaders = async (): Promise<void> => {
  closed = true;
  await Promise.all(readers.map((s) => s.close()));
};

/** A part of a chunk as a reader hands it on: gated, its rows packed (outside the heap while it waits its turn). */
interface ReadPart {
  gated: GatedChunk;
  rows: Buffer;
}

/** Reads a part on `session` and gates it at once, where it arrives. */
function readPart(session: ImapSession): (part: string) => Promise<ReadPart> {
  return async (part) => {
    const gated = gateChunk(part, await session.triageRows(part), task.afterUid);
    return { gated, rows: packRows(gated.hinted.splice(0)) };
  };
}

/**
 * More connections to read with (the host is waiting for chunks), each joining as soon as it
 * has the folder open. Best effort:
 * one the server refuses (a limit on connections), that fails or that sees another UIDVALIDITY
 * is left out, and the read does not wait for any of them.
 */
function openMoreReaders(reading: InTurn<string, ReadPart>, uidValidity: number): void {
  for (let n = 1; n < task.connections; n++) {
    void (async () => {
      const s = await ImapSession.open({ account: task.account, secret: task.secret }).catch(() => null);
      if (!s) return;
      if (closed) return void (await s.close());
      readers.push(s);
      const open = await s.examine(task.folder).catch(() => null);
      if (open?.uidValidity === uidValidity) reading.join(readPart(s));
      else await s.close();
    })();
  }
}

try {
  const first = await ImapSession.open({ account: task.account, secret: task.secret });
  readers.push(first);
  const open = await first.examine(task.folder);
  const chunks = uidChunks(task.afterUid + 1, Math.max(task.afterUid + 1, open.uidNext - 1), task.chunkSize).map((range) => ({
    range,
    parts: splitUidRange(range, task.fetchUids),
  }));
  // Each reader with its next part queued while the last one is gated and packed.
  const reading = inTurn<string, ReadPart>(
    chunks.flatMap((c) => c.parts),
    2 * task.connections,
  );
  reading.join(readPart(first));
  wider = () => openMoreReaders(reading, open.uidValidity);
  if (widenAsked) widen();
  const read = reading.results();
  for (const { range, parts } of chunks) {
    await until(() => heldBytes < task.lookaheadBytes);
    const gated = gateChunk(range, [], task.afterUid);
    const packedRows: Buffer[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = await read.next();
      if (part.done) throw new Error("The read-ahead ended before its last chunk.");
      addPart(gated, part.value.gated);
      packedRows.push(part.value.rows);
    }
    hold({ kind: "chunk", uidValidity: open.uidValidity, chunk: packChunk(gated, packedRows), bytes: bytesRead() });
  }
  await closeReaders();
  hold({ kind: "end", bytes: bytesRead() });
} catch (error) {
  hold({ kind: "failed", message: error instanceof Error ? error.message : String(error), bytes: bytesRead() });
  await closeReaders();
} finally {
  // What was read is handed over before the thread ends (the host stops it sooner if it is done).
  await until(() => ready.length === 0);
  port.close();
}
