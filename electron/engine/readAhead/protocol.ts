/** What the read-ahead host and its worker thread say to each other (structured-clone data only). */
import type { Account } from "../../../shared/model.js";
import type { GatedChunk } from "./gate.js";

/** The worker's whole task, as `workerData`. */
export interface ReadAheadTask {
  account: Account;
  /** The password, or an OAuth2 account's access token, of the operation that starts it. */
  secret: string;
  folder: string;
  /** The folder's checkpoint: the worker reads the UIDs after it. */
  afterUid: number;
  /** UIDs per chunk: the scanner's own, so both cut the folder into the same ranges. */
  chunkSize: number;
  /** UIDs per FETCH within a chunk: each part is gated as it arrives (see reader.ts). */
  fetchUids: number;
  /**
   * Bytes of packed chunks the worker may hold read before the host asks for them (it always
   * reads one). Packed, they wait outside both heaps: no collection traces them, and the
   * scanner gets each one when it needs it.
   */
  lookaheadBytes: number;
}

/**
 * A gated chunk as bytes: JSON in UTF-8. Bytes live outside the JavaScript heap and cross threads
 * without a copy. A chunk is plain data (strings, numbers, part trees; no dates, no buffers), and
 * for it JSON is the faster format where it counts, on the scanner's thread: a 250-row chunk
 * unpacks in ~1.7 ms against ~3 ms with V8's serialiser (what postMessage uses), and packs in
 * about the same time.
 */
export function packChunk(chunk: GatedChunk): Uint8Array<ArrayBuffer> {
  // An ArrayBuffer of its own, sized to the data (a Buffer may share a pool), so that it can be transferred.
  return new TextEncoder().encode(JSON.stringify(chunk));
}

/** The chunk {@link packChunk} packed; the bytes come from our own worker. */
export function unpackChunk(packed: Uint8Array): GatedChunk {
  return JSON.parse(Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength).toString("utf8")) as GatedChunk;
}

/** Worker to host. `chunk` is packed ({@link packChunk}); `bytes` is the worker connection's total so far, for the scan's byte count. */
export type FromWorker =
  | { kind: "chunk"; uidValidity: number; chunk: Uint8Array<ArrayBuffer>; bytes: number }
  | { kind: "end"; bytes: number }
  | { kind: "failed"; message: string; bytes: number };

/** Host to worker: send the next message (a chunk, or the end). */
export type ToWorker = { kind: "next" };
