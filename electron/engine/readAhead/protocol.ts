/** What the read-ahead host and its worker thread say to each other (structured-clone data only). */
import type { Account } from "../../../shared/model.js";
import type { GatedChunk, GatedRow } from "./gate.js";

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
  /** Connections to read with at most (see inTurn.ts): one at first, the others when the host asks to widen. */
  connections: number;
  /** Milliseconds the host waits for chunks in all before it asks the worker to widen. */
  widenAfterMs: number;
  /**
   * Bytes of packed chunks the worker may hold read before the host asks for them (it always
   * reads one). Packed, they wait outside both heaps: no collection traces them, and the
   * scanner gets each one when it needs it.
   */
  lookaheadBytes: number;
}

/**
 * Rows of a chunk packed before the chunk is: their JSON, comma-separated, in UTF-8. The worker
 * packs each part's rows as soon as it has gated them, so they die young in its heap instead of
 * living through the rest of the chunk's reading.
 */
export function packRows(rows: readonly GatedRow[]): Buffer {
  return rows.length === 0 ? Buffer.alloc(0) : Buffer.from(JSON.stringify(rows).slice(1, -1));
}

const COMMA = Buffer.from(",");

/**
 * A gated chunk as bytes: JSON in UTF-8, its rows those `packedRows` holds ({@link packRows}, in
 * order), then the chunk's own. Bytes live outside the JavaScript heap and cross threads without
 * a copy; for plain data JSON unpacks faster on the scanner's thread than postMessage's serialiser.
 */
export function packChunk(chunk: GatedChunk, packedRows: readonly Buffer[] = []): Uint8Array<ArrayBuffer> {
  const { hinted, ...counts } = chunk;
  const rows = [...packedRows, packRows(hinted)].filter((r) => r.length > 0);
  const pieces = [Buffer.from(`${JSON.stringify(counts).slice(0, -1)},"hinted":[`), ...rows.flatMap((r, i) => (i === 0 ? [r] : [COMMA, r])), Buffer.from("]}")];
  // An ArrayBuffer of its own, sized to the data (a Buffer may share a pool), so that it can be transferred.
  const packed = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    packed.set(p, at);
    at += p.length;
  }
  return packed;
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

/** Host to worker: send the next message (a chunk, or the end); or read with more connections, the host is waiting. */
export type ToWorker = { kind: "next" } | { kind: "widen" };
