import type { WatchState } from "../../shared/api.js";
import { since } from "../format.js";

const MODE: Record<WatchState["mode"], string> = {
  starting: "Starting to watch for new mail…",
  watching: "Watching for new mail: each message is swept as it arrives.",
  polling: "Looking for new mail at the schedule's interval: your server allows no extra connection to wait on.",
  reconnecting: "Watching for new mail: the connection was lost, reconnecting…",
  stopped: "Watching stopped.",
};

/** The Overview's line about sweeping new mail as it arrives, and its last sweep. */
export function WatchStatus({ watch, paused }: { watch: WatchState | null; paused: boolean }): React.JSX.Element {
  if (!watch) return <p className="last watch">{paused ? "Watching is paused." : "New mail is not swept as it arrives (Settings)."}</p>;
  return (
    <p className={`last watch ${watch.mode}`} role="status">
      {watch.mode === "stopped" && watch.problem ? `Watching stopped: ${watch.problem}` : MODE[watch.mode]}
      {watch.lastSweep ? ` Last sweep ${since(watch.lastSweep.at, Date.now())}: ${watch.lastSweep.text}.` : ""}
    </p>
  );
}

/** A flood under way, said at the top of the Overview until it fades. */
export function FloodBanner({ text }: { text: string }): React.JSX.Element {
  return (
    <section className="flood" role="status" aria-label="Backscatter flood">
      <strong>{text}</strong> New backscatter is swept as it arrives; &ldquo;Why is this happening?&rdquo; below says where it comes from and what stops it.
    </section>
  );
}
