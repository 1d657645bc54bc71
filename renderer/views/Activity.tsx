import { useCallback, useEffect, useState } from "react";
import type { ActivityEntry } from "../../shared/api.js";
import type { EngineClient } from "../../shared/rpc.js";

const KIND: Record<ActivityEntry["kind"], string> = { scan: "Scan", move: "Move", undo: "Put back", index: "Index", cleanup: "Clean-up" };
const when = (t: number): string => new Date(t).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** The journal of runs, newest first: what each did, in words; a move run can be undone as a whole. */
export function Activity({ client, accountId, onChanged }: { client: EngineClient; accountId: number; onChanged(message: string): void }): React.JSX.Element {
  const [entries, setEntries] = useState<ActivityEntry[] | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const load = useCallback(async () => setEntries(await client.activity({ accountId })), [client, accountId]);
  useEffect(() => void load(), [load]);

  const undo = async (runId: number): Promise<void> => {
    setBusy(runId);
    try {
      const r = await client.undo({ accountId, runId });
      onChanged(
        r.failed.length > 0
          ? `Put back ${r.restored}; ${r.failed.length} could not be: ${r.failed[0]?.error ?? ""}`
          : `Put back ${r.restored} message${r.restored === 1 ? "" : "s"}.`,
      );
      await load();
    } catch (error) {
      onChanged(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="activity-title">
      <header className="toolbar">
        <h2 id="activity-title">Activity</h2>
      </header>
      {entries === null ? <p className="loading">Loading…</p> : null}
      {entries?.length === 0 ? <p className="hint">Nothing has run yet for this account.</p> : null}
      <ol className="activity" aria-label="Runs, newest first">
        {entries?.map((e) => (
          <li key={e.runId} className={`run ${e.kind}`}>
            <span className="kind">{KIND[e.kind]}</span>
            <time dateTime={new Date(e.startedAt).toISOString()}>{when(e.startedAt)}</time>
            <span className="text">{e.text}</span>
            {e.undoable ? (
              <button disabled={busy !== null} onClick={() => void undo(e.runId)} aria-label={`Undo the move of ${when(e.startedAt)}`}>
                {busy === e.runId ? "Putting back…" : "Undo"}
              </button>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
