import { useCallback, useEffect, useState } from "react";
import type { CleanupPreview } from "../../shared/api.js";
import type { Account } from "../../shared/model.js";
import type { EngineClient } from "../../shared/rpc.js";
import { bytes, plural } from "../format.js";
import { Failure } from "../components/Failure.js";

/**
 * The optional clean-up of the destination, the one exception to "never delete": how full the
 * folder and the mailbox are, and a button that deletes, after the user confirms the count, what
 * the app moved there more than the chosen number of days ago.
 */
export function Cleanup({ client, account, onDone }: { client: EngineClient; account: Account; onDone(message: string): void }): React.JSX.Element {
  const [preview, setPreview] = useState<CleanupPreview | null>(null);
  const [failure, setFailure] = useState("");
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      setPreview(await client.cleanupPreview({ accountId: account.id }));
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  }, [client, account]);
  useEffect(() => void load(), [load]);

  const run = async (): Promise<void> => {
    if (!preview || preview.days === null) return;
    const question = `Delete ${plural(preview.candidates, "message")} from ${preview.folder} for good? They are backscatter the app moved there more than ${plural(preview.days, "day")} ago. This cannot be undone.`;
    if (!window.confirm(question)) return;
    setBusy(true);
    try {
      const r = await client.cleanup({ accountId: account.id, confirm: true });
      onDone(
        `Deleted ${plural(r.deleted, "message")} from ${r.folder}.${r.skipped > 0 ? ` ${plural(r.skipped, "message")} had changed and were left alone.` : ""}`,
      );
      await load();
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const q = preview?.quota;
  return (
    <div className="cleanup" aria-live="polite">
      {preview ? (
        <p>
          {preview.folder} holds {plural(preview.messages, "message")} ({bytes(preview.bytes)}).
          {q?.storage
            ? ` Your mailbox uses ${bytes(q.storage.used)} of ${bytes(q.storage.limit)} (${Math.round((100 * q.storage.used) / Math.max(1, q.storage.limit))}%).`
            : ""}
          {q?.messages ? ` It holds ${plural(q.messages.used, "message")} of the ${q.messages.limit.toLocaleString("en")} allowed.` : ""}
          {!q ? " The server does not say how much room your mailbox has." : ""}
        </p>
      ) : (
        <p className="loading">Looking at the folder…</p>
      )}
      <button disabled={busy || !preview || preview.days === null || preview.candidates === 0} onClick={() => void run()}>
        {preview?.days === null || !preview
          ? "Clean-up is off"
          : preview.candidates === 0
            ? `Nothing moved there more than ${plural(preview.days, "day")} ago`
            : `Delete ${plural(preview.candidates, "message")} moved there more than ${plural(preview.days, "day")} ago…`}
      </button>
      <Failure text={failure} />
    </div>
  );
}
