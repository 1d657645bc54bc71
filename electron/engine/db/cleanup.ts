/** What the clean-up may delete (moved there by us, long enough ago), and its record. */
import type { CleanupCandidate } from "../ports.js";
import type { Db } from "./open.js";

export function createCleanupStore(db: Db, now: () => number) {
  // Moved by us into `folder`, still there as far as we know, and the move finished before `before`.
  const candidates = db.prepare<[number, string, number], { id: number; dest_uid: number; message_id: string | null }>(`
    SELECT i.id, i.dest_uid, i.message_id FROM item i
    WHERE i.account_id = ? AND i.state = 'moved' AND i.dest_folder = ? AND i.dest_uid IS NOT NULL
      AND (SELECT max(j.updated_at) FROM journal j WHERE j.item_id = i.id AND j.op = 'move' AND j.state = 'done') < ?
    ORDER BY i.dest_uid`);
  const drop = db.prepare<[number]>("DELETE FROM item WHERE id = ?");
  const record = db.prepare("INSERT INTO cleanup (account_id, at, folder, older_than_days, deleted) VALUES (?, ?, ?, ?, ?)");
  const recordAll = db.transaction((accountId: number, folder: string, days: number, deleted: readonly number[], gone: readonly number[]): void => {
    for (const id of [...deleted, ...gone]) drop.run(id);
    record.run(accountId, now(), folder, days, deleted.length);
  });
  const list = db.prepare<[number, number], { id: number; at: number; folder: string; older_than_days: number; deleted: number }>(
    "SELECT * FROM cleanup WHERE account_id = ? ORDER BY id DESC LIMIT ?",
  );
  return {
    cleanupCandidates: (accountId: number, folder: string, before: number): CleanupCandidate[] =>
      candidates.all(accountId, folder, before).map((r) => ({ itemId: r.id, destUid: r.dest_uid, messageId: r.message_id })),
    /** The deleted messages, and those found gone, leave the items (their journal with them); the clean-up is recorded; one transaction. */
    recordCleanup: (accountId: number, folder: string, days: number, deleted: readonly number[], gone: readonly number[]): void =>
      recordAll(accountId, folder, days, deleted, gone),
    cleanups: (accountId: number, limit: number) =>
      list.all(accountId, limit).map((r) => ({ id: r.id, at: r.at, folder: r.folder, days: r.older_than_days, deleted: r.deleted })),
  };
}
