/**
 * How a folder's stored checkpoint (where the last scan or index of it got to) compares with the
 * numbers the server gives now, from a STATUS or a SELECT. Shared by the scanner and the sent
 * indexer, which keep a checkpoint per folder each.
 */
import type { FolderState } from "./ports.js";
import type { FolderStatus } from "./ports.js";

/** The UID a pass over the folder goes on after: its checkpoint, or 0 under a new UIDVALIDITY. */
export function checkpointOf(state: FolderState | null, uidValidity: number): number {
  return state !== null && state.uidvalidity === uidValidity ? state.lastUid : 0;
}

/** True when the folder has the numbers it had when its last pass finished: nothing to read. */
export function unchangedSince(state: FolderState | null, status: FolderStatus): boolean {
  return state !== null && state.uidvalidity === status.uidValidity && state.uidnext === status.uidNext && state.messages === status.messages;
}
