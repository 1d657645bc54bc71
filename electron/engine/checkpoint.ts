/**
 * How a folder's stored checkpoint (where the last scan or index of it got to) compares with the
 * numbers the server gives now, from a STATUS or a SELECT. Shared by the scanner and the sent
 * indexer, which keep a checkpoint per folder each.
 */
import type { Checkpoint, FolderStatus } from "./ports.js";

/** The UID a pass over the folder goes on after: its checkpoint, or 0 under a new UIDVALIDITY. */
export function resumeAfter(checkpoint: Checkpoint | null, uidValidity: number): number {
  return checkpoint !== null && checkpoint.uidValidity === uidValidity ? checkpoint.lastUid : 0;
}

/** True when the folder has the numbers it had when its last pass finished: nothing to read. */
export function unchangedSince(checkpoint: Checkpoint | null, status: FolderStatus): boolean {
  return (
    checkpoint !== null && checkpoint.uidValidity === status.uidValidity && checkpoint.uidNext === status.uidNext && checkpoint.messages === status.messages
  );
}
