/** What one engine operation works with, passed down instead of a dozen arguments. */
import type { Account, Progress } from "../../shared/model.js";
import type { Store } from "./db/store.js";
import type { ImapSession } from "./imap/session.js";

export interface OperationContext {
  account: Account;
  session: ImapSession;
  store: Store;
  progress(p: Progress): void;
  /** Aborted by the user's Cancel; checked between batches. */
  signal: AbortSignal;
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
