/** The activity journal in words: what each run did, from the summary it stored when it finished. */
import type { ActivityEntry } from "../../shared/api.js";
import { plural } from "../../shared/words.js";
import type { RunRow, StorePort } from "./ports.js";

const n = (v: unknown): number => (typeof v === "number" ? v : 0);

/** One run's line: pure, so the UI, the CLI and the tests read the same words. */
export function describeRun(run: Pick<RunRow, "kind" | "finishedAt" | "summary">): string {
  const s = run.summary ?? {};
  if (run.finishedAt === null)
    return run.kind === "scan"
      ? "Scan interrupted before it finished."
      : `${run.kind === "undo" ? "Putting back" : "Moving"} interrupted; the next run finished or rolled it back.`;
  const failed = n(s["failed"]) + n(s["errors"]);
  const tail = failed > 0 ? `; ${plural(failed, "message")} could not be handled` : "";
  switch (run.kind) {
    case "scan": {
      const counts = (typeof s["counts"] === "object" && s["counts"] !== null ? s["counts"] : {}) as Record<string, unknown>;
      const found = n(counts["backscatter"]);
      const review = n(counts["unverifiable"]);
      const misuse = n(counts["account-misuse"]);
      const proof = misuse > 0 ? `, ${misuse.toLocaleString("en")} sent through your own account (kept in your inbox)` : "";
      return `Scanned ${plural(n(s["scanned"]), "new message")}: ${found.toLocaleString("en")} backscatter found, ${n(s["moved"]).toLocaleString("en")} moved, ${review.toLocaleString("en")} to review${proof}${tail}.`;
    }
    case "move":
      return `Moved ${plural(n(s["moved"]), "message")} to the backscatter folder${tail}.`;
    case "undo":
      return `Put back ${plural(n(s["restored"]), "message")}${tail}.`;
    default:
      return `Indexed your sent mail${tail}.`;
  }
}

export function toActivity(run: RunRow): ActivityEntry {
  return { runId: run.id, kind: run.kind, startedAt: run.startedAt, finishedAt: run.finishedAt, text: describeRun(run), undoable: run.undoable };
}

/** Runs and clean-ups together, newest first. */
export function activityOf(store: Pick<StorePort, "runs" | "cleanups">, accountId: number, limit: number): ActivityEntry[] {
  const cleanups: ActivityEntry[] = store.cleanups(accountId, limit).map((c) => ({
    runId: -c.id,
    kind: "cleanup",
    startedAt: c.at,
    finishedAt: c.at,
    text: `Deleted ${plural(c.deleted, "message")} moved to ${c.folder} more than ${plural(c.days, "day")} ago.`,
    undoable: false,
  }));
  return [...store.runs(accountId, limit).map(toActivity), ...cleanups].sort((a, b) => b.startedAt - a.startedAt || b.runId - a.runId).slice(0, limit);
}
