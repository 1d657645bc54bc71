/**
 * Read-ahead for a large scan. Phase 1 of a scan (ENVELOPE and BODYSTRUCTURE of every new
 * message) is most of its bytes, and tokenising those answers was the largest single cost on
 * the one thread that also indexes Sent mail, triages, fetches parts, parses and stores. A
 * worker thread reads phase 1 on a second connection instead, a few chunks ahead of the scanner.
 *
 * It cannot change anything: it opens the folder read-only (EXAMINE) and only fetches. If it
 * fails or disagrees (a server allowing one connection, a lost connection, a worker that cannot
 * start, a folder that changed between the two opens), the scanner reads the chunks itself
 * from then on, and the scan's result is the same.
 */
import { Worker } from "node:worker_threads";
import type { GatedChunk } from "./gate.js";
import type { FromWorker, ReadAheadTask, ToWorker } from "./protocol.js";

/** The compiled worker beside this file (tests running from source hand in dist's). */
const WORKER_URL = new URL("./worker.js", import.meta.url);

/**
 * The worker's own heap: the chunks it holds and imapflow's buffers. Bounded so that the two
 * threads together stay in the scan's memory budget (V8 lets a heap grow well past what it
 * keeps before collecting); a worker over it is stopped, and the scanner reads the rest itself.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 };

/** Chunks the worker holds ready: enough to cover a slow chunk, few enough to hold. */
export const READ_AHEAD_CHUNKS = 3;

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

  const reader: ReadAhead = {
    folder: task.folder,
    async take(range, uidValidity) {
      if (stopped || !thread) return null;
      // One request ahead: the next chunk crosses (serialised there, copied here) while this one is
      // worked on, and at most one waits in this thread's heap.
      if (!primed) thread.postMessage({ kind: "next" } satisfies ToWorker);
      primed = true;
      thread.postMessage({ kind: "next" } satisfies ToWorker);
      const next = arrived.shift() ?? (await new Promise<FromWorker>((resolve) => (waiting = resolve)));
      if (next.kind !== "chunk" || next.chunk.range !== range || next.uidValidity !== uidValidity) {
        await reader.close();
        return null;
      }
      return next.chunk;
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
