/**
 * Read-ahead for a large scan: a worker thread reads phase 1 (ENVELOPE and BODYSTRUCTURE of every
 * new message, most of a scan's bytes and tokenising) on a connection of its own, some megabytes
 * ahead of the scanner, so the server goes on reading the inbox while the scanner indexes Sent.
 * When the scanner still waits for it, the worker reads on more connections (inTurn.ts). The
 * figures behind each setting: docs/performance.md.
 *
 * It cannot change anything: it opens the folder read-only (EXAMINE) and only fetches. If it
 * fails or disagrees (a server allowing one connection, a lost connection, a worker that cannot
 * start, a folder that changed between the two opens), the scanner reads the chunks itself
 * from then on, and the scan's result is the same.
 */
import { Worker } from "node:worker_threads";
import type { GatedChunk } from "./gate.js";
import { unpackChunk, type FromWorker, type ReadAheadTask, type ToWorker } from "./protocol.js";

/** The compiled worker beside this file (tests running from source hand in dist's). */
const WORKER_URL = new URL("./worker.js", import.meta.url);

/**
 * The worker's own heap: the chunk it is reading and imapflow's buffers. Bounded so that the two
 * threads together stay in the scan's memory budget (V8 lets a heap grow well past what it
 * keeps before collecting); a worker over it is stopped, and the scanner reads the rest itself.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 };

/** Packed chunks the worker holds ready, in bytes: enough to read on through Sent's indexing and slow chunks. */
export const READ_AHEAD_BYTES = 4 * 1024 * 1024;

/** UIDs per part of a chunk (a SEARCH for \Deleted and a FETCH each), each part gated as soon as it is read: small parts die young in the worker's heap. */
export const READ_AHEAD_FETCH_UIDS = 100;

/**
 * Connections the worker may read with, the scanner's own not counted: a cold server reads a file
 * per message, one after another per connection. Servers allow 10 or more per user (Dovecot 10,
 * Gmail 15); those a server refuses are left out, and one is enough.
 */
export const READ_AHEAD_CONNECTIONS = 3;

/** How long the scanner may wait for chunks in all before the worker opens its other connections: a warm server keeps it ahead, a cold one does not. */
export const READ_AHEAD_WIDEN_AFTER_MS = 250;

export interface ReadAhead {
  readonly folder: string;
  /**
   * The next chunk, if it is `range` of the folder the scanner opened with `uidValidity`; null
   * means: read it yourself, and every later chunk too (the worker is stopped).
   */
  take(range: string, uidValidity: number): Promise<GatedChunk | null>;
  /** Bytes the worker's connection has read so far. */
  bytes(): number;
  /** Stops the worker; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Starts a worker reading `task.folder` from `task.afterUid` on, from the script at `worker`.
 * `signal` (the user's Cancel) ends a wait for a worker whose server went silent at once.
 */
export function startReadAhead(task: ReadAheadTask, worker: URL = WORKER_URL, signal?: AbortSignal): ReadAhead {
  const arrived: FromWorker[] = [];
  let waiting: ((message: FromWorker) => void) | null = null;
  let bytes = 0;
  let stopped = false;
  let primed = false;
  const deliver = (message: FromWorker): void => {
    bytes = Math.max(bytes, message.bytes);
    if (waiting) {
      const give = waiting;
      waiting = null;
      give(message);
    } else arrived.push(message);
  };
  const gone = (message: string): void => deliver({ kind: "failed", message, bytes });
  const cancelled = (): void => gone("cancelled");
  signal?.addEventListener("abort", cancelled, { once: true });

  let thread: Worker | null = null;
  try {
    thread = new Worker(worker, { workerData: task, resourceLimits: WORKER_LIMITS });
    thread.unref(); // never what keeps the process alive
    thread.on("message", deliver);
    thread.on("error", (error) => gone(error.message));
    thread.on("exit", () => gone("the read-ahead worker stopped"));
  } catch (error) {
    gone(error instanceof Error ? error.message : String(error));
  }

  let waited = 0;
  let widened = false;
  const waitForNext = async (): Promise<FromWorker> => {
    const since = performance.now();
    const next = await new Promise<FromWorker>((resolve) => (waiting = resolve));
    waited += performance.now() - since;
    if (!widened && waited >= task.widenAfterMs) {
      widened = true;
      thread?.postMessage({ kind: "widen" } satisfies ToWorker);
    }
    return next;
  };

  const reader: ReadAhead = {
    folder: task.folder,
    async take(range, uidValidity) {
      if (stopped || !thread) return null;
      // One request ahead: the next chunk crosses (packed there, moved here) while this one is
      // worked on; it is unpacked into this thread's heap only when taken.
      if (!primed) thread.postMessage({ kind: "next" } satisfies ToWorker);
      primed = true;
      thread.postMessage({ kind: "next" } satisfies ToWorker);
      const next = arrived.shift() ?? (await waitForNext());
      // Another folder generation, another range, an end or a failure: the scanner reads on by itself.
      const chunk = next.kind === "chunk" && next.uidValidity === uidValidity ? unpackChunk(next.chunk) : null;
      if (chunk?.range !== range) {
        await reader.close();
        return null;
      }
      return chunk;
    },
    bytes: () => bytes,
    async close() {
      stopped = true;
      // The signal outlives the scan: what it holds on to must not.
      signal?.removeEventListener("abort", cancelled);
      arrived.length = 0;
      await thread?.terminate();
    },
  };
  return reader;
}
