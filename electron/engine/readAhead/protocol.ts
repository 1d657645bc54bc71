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
  /**
   * Chunks the worker holds read before the host asks for them. They wait in the worker's heap,
   * which is bounded, not in the scanner's: the scanner gets each one when it needs it.
   */
  lookahead: number;
}

/** Worker to host. `bytes` is the worker connection's total so far, for the scan's byte count. */
export type FromWorker =
  | { kind: "chunk"; uidValidity: number; chunk: GatedChunk; bytes: number }
  | { kind: "end"; bytes: number }
  | { kind: "failed"; message: string; bytes: number };

/** Host to worker: send the next message (a chunk, or the end). */
export type ToWorker = { kind: "next" };
