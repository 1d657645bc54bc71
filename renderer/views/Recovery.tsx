import { useState } from "react";
import type { ProfileStatus } from "../../shared/api.js";
import type { EngineClient } from "../../shared/rpc.js";
import { Failure } from "../components/Failure.js";

type Problem = Exclude<ProfileStatus, { ok: true }>;

/**
 * The app's own database cannot be used (damaged, or written by a newer version): what happened,
 * what a rebuild keeps and what it reads again, and the button. Nothing on the mail server changes.
 */
export function Recovery({ client, problem, onRebuilt }: { client: EngineClient; problem: Problem; onRebuilt(message: string): void }): React.JSX.Element {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState("");
  const rebuild = async (): Promise<void> => {
    setBusy(true);
    setFailure("");
    try {
      onRebuilt((await client.profileRebuild({})).message);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="recovery" aria-labelledby="recovery-title">
      <h2 id="recovery-title">{problem.problem === "newer" ? "This database is from a newer version" : "The app's database cannot be read"}</h2>
      <p role="alert">{problem.message}</p>
      <p>
        A rebuild starts a fresh database and keeps the old file beside it ({problem.path}). Your accounts, your “not backscatter” choices and the record of
        what was moved — so Undo still works — are carried over where they can be read. What the app learned from your mail is read again from the server on the
        next scan. Nothing on the mail server is changed.
      </p>
      {problem.problem === "newer" ? <p>If you installed an older version by mistake, you can instead update the app and keep this database.</p> : null}
      <button className="primary" disabled={busy} onClick={() => void rebuild()}>
        {busy ? "Rebuilding…" : "Rebuild the database"}
      </button>
      <Failure text={failure} />
    </section>
  );
}
