/** What one engine operation works with, passed down instead of a dozen arguments. */
import type { Account, Progress } from "../../shared/model.js";
import type { Budget } from "./budget.js";
import type { Dns } from "./dns/resolver.js";
import type { ImapPort, StorePort } from "./ports.js";
import type { ReadAhead } from "./readAhead/reader.js";

/** Starts a read-ahead worker on a connection of its own (same account, same credential). */
export interface ReadAheadStarter {
  /** New messages a folder needs before a second connection is worth its login. */
  fromMessages: number;
  start(task: { folder: string; afterUid: number; chunkSize: number }): ReadAhead;
}

export interface OperationContext {
  account: Account;
  session: ImapPort;
  store: StorePort;
  progress(p: Progress): void;
  /** Aborted by the user's Cancel; checked between batches. */
  signal: AbortSignal;
  /** Absent when read-ahead is off: the scanner then reads every chunk on `session`. */
  readAhead?: ReadAheadStarter;
  /** The engine's one resolver (SPF, DKIM keys, Backscatterer): cached, with timeouts. */
  dns: Dns;
  /** The account's daily download budget: checked between chunks, with what this operation read so far. */
  budget: Budget;
  /** From how many new messages a folder's first pass may be the server's search, where it proved it (scan/firstPass.ts); false: always the fetch gate. */
  searchPass: SearchPassOptions | false;
}

/** When a folder's first pass may be the server's search (scan/firstPass.ts). */
export interface SearchPassOptions {
  /** New messages from which it is considered. */
  fromMessages: number;
  /** Use a search the server proved correct even where it is slower than the fetch gate (default: on Gmail, whose downloads are limited). */
  saveBytes?: boolean;
}

export class CancelledError extends Error {
  constructor() {
    super("Cancelled.");
  }
}

export function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError();
}

/** UID ranges of at most `size` from `first` to `last`, for fetching a large folder in chunks. */
export function uidChunks(first: number, last: number, size = 2000): string[] {
  const out: string[] = [];
  for (let start = first; start <= last; start += size) out.push(`${start}:${Math.min(last, start + size - 1)}`);
  return out;
}

/** A `first:last` range of {@link uidChunks}, cut again into ranges of at most `size`. */
export function splitUidRange(range: string, size: number): string[] {
  const [first = 1, last = 0] = range.split(":").map(Number);
  return uidChunks(first, last, size);
}
