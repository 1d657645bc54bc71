/** Runs (each scan, move, undo and index) and the move journal: every move planned before its IMAP command, then moving, then done or failed. */
import type { JournalEntry, PlannedMove } from "../ports.js";
import type { Db } from "./open.js";

interface JournalRecord {
  id: number;
  run_id: number;
  item_id: number;
  op: "move" | "undo";
  src_folder: string;
  src_uidvalidity: number;
  src_uid: number;
  dest_folder: string;
  dest_uid: number | null;
  dest_uidnext: number | null;
  message_id: string | null;
  state: JournalEntry["state"];
}

const toJournal = (r: JournalRecord): JournalEntry => ({
  id: r.id,
  runId: r.run_id,
  itemId: r.item_id,
  op: r.op,
  srcFolder: r.src_folder,
  srcUidvalidity: r.src_uidvalidity,
  srcUid: r.src_uid,
  destFolder: r.dest_folder,
  destUid: r.dest_uid,
  destUidnext: r.dest_uidnext,
  messageId: r.message_id,
  state: r.state,
});

export function createJournal(db: Db, now: () => number) {
  const q = {
    insertRun: db.prepare("INSERT INTO run (account_id, kind, started_at) VALUES (?, ?, ?)"),
    finishRun: db.prepare("UPDATE run SET finished_at = ?, summary = ? WHERE id = ?"),
    lastRun: db.prepare<[number, string], { id: number }>("SELECT id FROM run WHERE account_id = ? AND kind = ? ORDER BY id DESC LIMIT 1"),
    insertJournal: db.prepare(`INSERT INTO journal (run_id, item_id, op, src_folder, src_uidvalidity, src_uid, dest_folder, message_id, state, updated_at)
      VALUES (@runId, @itemId, @op, @srcFolder, @srcUidvalidity, @srcUid, @destFolder, @messageId, 'planned', @now)`),
    setJournalMoving: db.prepare("UPDATE journal SET state = 'moving', dest_uidnext = ?, updated_at = ? WHERE id = ?"),
    setJournal: db.prepare("UPDATE journal SET state = @state, dest_uid = coalesce(@destUid, dest_uid), error = @error, updated_at = @now WHERE id = @id"),
    openJournal: db.prepare<[number], JournalRecord>(
      "SELECT j.* FROM journal j JOIN run r ON r.id = j.run_id WHERE r.account_id = ? AND j.state IN ('planned', 'moving') ORDER BY j.id",
    ),
    journalOfRun: db.prepare<[number], JournalRecord>("SELECT * FROM journal WHERE run_id = ? ORDER BY id"),
  };
  const planTx = db.transaction((runId: number, op: "move" | "undo", entries: readonly PlannedMove[]) =>
    entries.map((e) => Number(q.insertJournal.run({ runId, op, ...e, now: now() }).lastInsertRowid)),
  );

  return {
    startRun: (accountId: number, kind: "scan" | "move" | "undo" | "index"): number => Number(q.insertRun.run(accountId, kind, now()).lastInsertRowid),
    finishRun: (runId: number, summary: unknown): void => void q.finishRun.run(now(), JSON.stringify(summary), runId),
    lastRun: (accountId: number, kind: "move" | "scan" | "undo"): number | null => q.lastRun.get(accountId, kind)?.id ?? null,

    /** Journals a batch as planned, in one transaction, before any IMAP command. */
    planMoves(runId: number, op: "move" | "undo", entries: readonly PlannedMove[]): number[] {
      return planTx(runId, op, entries);
    },
    setJournal(id: number, state: JournalEntry["state"], destUid: number | null = null, error: string | null = null): void {
      q.setJournal.run({ id, state, destUid, error, now: now() });
    },
    /** Marks an entry as sent to the server; `destUidnext` says where its copy would land. */
    setJournalMoving(id: number, destUidnext: number): void {
      q.setJournalMoving.run(destUidnext, now(), id);
    },
    openJournal: (accountId: number): JournalEntry[] => q.openJournal.all(accountId).map(toJournal),
    journalOfRun: (runId: number): JournalEntry[] => q.journalOfRun.all(runId).map(toJournal),
  };
}
