import type { AccountStatus, ScheduleState } from "../../shared/api.js";
import type { Item, Progress, ScanSummary } from "../../shared/model.js";
import { DayChart } from "../components/DayChart.js";
import { MisuseBanner } from "../components/MisuseBanner.js";
import { FloodBanner, WatchStatus } from "../components/WatchStatus.js";
import { backscatterPerDay, plural, since } from "../format.js";

interface Props {
  status: AccountStatus | null;
  items: readonly Item[];
  lastScan: { at: number; summary: ScanSummary } | null;
  progress: Progress | null;
  scanning: boolean;
  /** This account's scheduled scans, if it has them, and whether all are paused. */
  schedule: ScheduleState["accounts"][number] | null;
  paused: boolean;
  onScan(apply: boolean): void;
  onCancel(): void;
  /** Opens the review on the reports the alarm is about. */
  onReviewMisuse(): void;
}

const PHASE: Record<Progress["phase"], string> = {
  connect: "Connecting",
  reconnect: "Connection lost; reconnecting",
  index: "Reading your sent mail",
  triage: "Looking at the inbox",
  parse: "Reading automated replies",
  classify: "Deciding",
  move: "Moving",
  undo: "Putting back",
};

/** Totals, backscatter per day, the last scan, and a scan under way with its progress. */
export function Dashboard({ status, items, lastScan, progress, scanning, schedule, paused, onScan, onCancel, onReviewMisuse }: Props): React.JSX.Element {
  const count = (v: Item["verdict"]): number => items.filter((i) => i.verdict === v).length;
  const chart = backscatterPerDay(items, 30, new Date());
  const waiting = items.filter((i) => i.verdict === "backscatter" && i.state === "flagged").length;
  const tiles: [string, number, string][] = [
    ["Backscatter found", count("backscatter"), "backscatter"],
    ["Moved to Backscatter", items.filter((i) => i.state === "moved").length, "moved"],
    ["Real replies to your mail", count("legit"), "legit"],
    ["Cannot be checked", count("unverifiable"), "unverifiable"],
    ...(count("account-misuse") > 0 ? [["Sent through your account", count("account-misuse"), "account-misuse"] as [string, number, string]] : []),
  ];
  return (
    <section aria-labelledby="dash-title">
      <header className="toolbar">
        <h2 id="dash-title">Overview</h2>
        {scanning ? (
          <button onClick={onCancel}>Cancel</button>
        ) : (
          <>
            <button onClick={() => onScan(false)}>Scan now (nothing is moved)</button>
            {waiting > 0 ? (
              <button className="primary" onClick={() => onScan(true)}>
                Scan and move {plural(waiting, "backscatter message")}
              </button>
            ) : null}
          </>
        )}
      </header>
      {status?.misuse ? <MisuseBanner alarm={status.misuse} onReview={onReviewMisuse} /> : null}
      {schedule?.watch?.flood ? <FloodBanner text={schedule.watch.flood} /> : null}
      {scanning ? (
        <div className="progress" role="status" aria-live="polite">
          <span>
            {progress
              ? `${PHASE[progress.phase]}${progress.folder ? ` (${progress.folder})` : ""}: ${progress.done.toLocaleString("en")} of ${progress.total.toLocaleString("en")}`
              : "Starting…"}
          </span>
          <progress max={progress?.total || 1} value={progress?.done ?? 0} />
        </div>
      ) : null}
      <ul className="tiles">
        {tiles.map(([label, n, cls]) => (
          <li key={label} className={`tile ${cls}`}>
            <span className="n">{n.toLocaleString("en")}</span>
            <span>{label}</span>
          </li>
        ))}
      </ul>
      <h3>Backscatter per day{chart.length > 0 ? `, ${chart[0]?.day} to ${chart[chart.length - 1]?.day}` : ""}</h3>
      <DayChart data={chart} />
      <p className="last">
        {lastScan
          ? `Last scan ${since(lastScan.at, Date.now())}: ${plural(lastScan.summary.scanned, "new message")} looked at, ${plural(lastScan.summary.counts.backscatter, "backscatter message")} found${lastScan.summary.moved ? `, ${lastScan.summary.moved} moved` : ""}.`
          : "No scan yet in this session."}
        {status ? ` ${plural(status.sentIndexed, "sent message")} indexed.` : ""}
      </p>
      <p className="last">
        {!schedule || schedule.everyMinutes === null
          ? "Scheduled scans are off for this account (Settings)."
          : paused
            ? "Scheduled scans are paused."
            : schedule.nextAt
              ? `Next scheduled scan ${new Date(schedule.nextAt).toLocaleTimeString("en-GB", { timeStyle: "short" })}, then every ${plural(schedule.everyMinutes, "minute")}.`
              : ""}
        {schedule?.last ? ` Last background scan ${since(schedule.last.at, Date.now())}: ${schedule.last.text}.` : ""}
      </p>
      <WatchStatus watch={schedule?.watch ?? null} paused={paused} />
      {lastScan && lastScan.summary.warnings.length > 0 ? (
        <ul className="warnings" role="alert">
          {lastScan.summary.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
