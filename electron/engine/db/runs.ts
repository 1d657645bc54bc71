/** The runs table read back as the activity journal. */
import type { RunRow } from "../ports.js";
import type { Db } from "./open.js";

export function createRuns(db: Db) {
  const list = db.prepare<
    [number, number],
    { id: number; kind: RunRow["kind"]; started_at: number; finished_at: number | null; summary: string | null; undoable: number }
  >(`
    SELECT r.id, r.kind, r.started_at, r.finished_at, r.summary,
      r.kind = 'move' AND EXISTS (SELECT 1 FROM journal j JOIN item i ON i.id = j.item_id WHERE j.run_id = r.id AND j.state = 'done' AND i.state = 'moved') AS undoable
    FROM run r WHERE r.account_id = ? ORDER BY r.id DESC LIMIT ?`);
  return {
    /** The newest `limit` runs of an account. */
    runs: (accountId: number, limit: number): RunRow[] =>
      list.all(accountId, limit).map((r) => ({
        id: r.id,
        kind: r.kind,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        summary: r.summary ? (JSON.parse(r.summary) as Record<string, unknown>) : null,
        undoable: r.undoable === 1,
      })),
  };
}
