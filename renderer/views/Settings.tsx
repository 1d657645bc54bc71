import { useEffect, useState, type FormEvent } from "react";
import type { AccountStatus, ScheduleState } from "../../shared/api.js";
import { dailyBudgetMbOf } from "../../shared/providers.js";
import type { Account } from "../../shared/model.js";
import type { EngineClient } from "../../shared/rpc.js";
import { Cleanup } from "./Cleanup.js";
import { SignIn } from "./SignIn.js";
import { Failure } from "../components/Failure.js";

const CLEANUPS: [string, number | null][] = [
  ["Never (recommended)", null],
  ["After 30 days", 30],
  ["After 60 days", 60],
  ["After 90 days", 90],
  ["After 180 days", 180],
];
const SCHEDULES: [string, number | null][] = [
  ["Off: only when I ask", null],
  ["Every 15 minutes", 15],
  ["Every 30 minutes", 30],
  ["Every hour", 60],
  ["Every 2 hours", 120],
  ["Every 6 hours", 360],
  ["Every day", 1440],
];
const list = (text: string): string[] =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

interface Props {
  client: EngineClient;
  account: Account;
  accounts: readonly Account[];
  onSaved(account: Account, message: string): void;
  onRemoved(accountId: number): void;
}

/** One account's settings (schedule, automatic moves, folders, destination, other senders), the pause switch for all, and the accounts. */
export function Settings({ client, account, accounts, onSaved, onRemoved }: Props): React.JSX.Element {
  const [schedule, setSchedule] = useState<number | null>(account.scheduleMinutes);
  const [autoMove, setAutoMove] = useState(account.autoMove);
  const [watch, setWatch] = useState(account.watch);
  const [scan, setScan] = useState(account.scanFolders.join(", "));
  const [sent, setSent] = useState(account.sentFolders.join(", "));
  const [destination, setDestination] = useState(account.destination);
  const [trusted, setTrusted] = useState(account.trustedIdPatterns.join("\n"));
  const [cleanupDays, setCleanupDays] = useState<number | null>(account.cleanupDays);
  const [budget, setBudget] = useState(account.dailyBudgetMb === null ? "" : String(account.dailyBudgetMb));
  const [state, setState] = useState<ScheduleState | null>(null);
  const [usage, setUsage] = useState<AccountStatus | null>(null);
  const [failure, setFailure] = useState("");
  useEffect(() => void client.scheduleStatus({}).then(setState), [client]);
  useEffect(() => void client.status({ accountId: account.id }).then(setUsage), [client, account.id]);
  const providerBudget = dailyBudgetMbOf({ host: account.host });

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setFailure("");
    try {
      const changes = {
        scheduleMinutes: schedule,
        autoMove,
        watch,
        scanFolders: list(scan).length > 0 ? list(scan) : ["INBOX"],
        sentFolders: list(sent),
        destination: destination.trim() || "Backscatter",
        trustedIdPatterns: list(trusted),
        cleanupDays,
        dailyBudgetMb: budget.trim() === "" ? null : Number(budget),
      };
      if (changes.dailyBudgetMb !== null && !(Number.isInteger(changes.dailyBudgetMb) && changes.dailyBudgetMb > 0))
        throw new Error("The daily download budget is a whole number of megabytes, or empty for the default.");
      const saved = await client.accountUpdate({ accountId: account.id, changes });
      setState(await client.scheduleStatus({}));
      onSaved(saved, "Settings saved.");
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  };
  const pause = async (paused: boolean): Promise<void> => setState(await client.schedulePause({ paused }));
  const remove = async (a: Account): Promise<void> => {
    if (!window.confirm(`Remove ${a.user} from Backscatter Sweeper? Nothing on the mail server changes; what the app knows about this account is forgotten.`))
      return;
    await client.accountRemove({ accountId: a.id });
    onRemoved(a.id);
  };
  const next = state?.accounts.find((x) => x.accountId === account.id)?.nextAt ?? null;

  return (
    <section className="settings" aria-labelledby="settings-title">
      <header className="toolbar">
        <h2 id="settings-title">Settings for {account.user}</h2>
      </header>
      <form onSubmit={(e) => void save(e)}>
        <fieldset>
          <legend>In the background</legend>
          <div className="field">
            <label htmlFor="schedule">Scan for new backscatter</label>
            <select id="schedule" value={schedule ?? ""} onChange={(e) => setSchedule(e.target.value === "" ? null : Number(e.target.value))}>
              {SCHEDULES.map(([label, minutes]) => (
                <option key={label} value={minutes ?? ""}>
                  {label}
                </option>
              ))}
            </select>
            {next !== null ? <span className="hint">Next scan {new Date(next).toLocaleTimeString("en-GB", { timeStyle: "short" })}.</span> : null}
          </div>
          <div className="field">
            <label>
              <input type="checkbox" checked={watch} onChange={(e) => setWatch(e.target.checked)} aria-describedby="watch-hint" /> Sweep new mail as it arrives
            </label>
            <span id="watch-hint" className="hint">
              While the app runs, each new message is looked at within seconds (one extra connection to your server).
            </span>
          </div>
          <div className="field" role="radiogroup" aria-labelledby="auto-label">
            <span id="auto-label">What a scheduled scan or a sweep does with backscatter</span>
            <label>
              <input type="radio" name="auto" checked={autoMove === "off"} onChange={() => setAutoMove("off")} /> Nothing: I review and move it myself
            </label>
            <label>
              <input type="radio" name="auto" checked={autoMove === "high"} onChange={() => setAutoMove("high")} /> Move it when the app is sure (high
              confidence); the rest waits for me
            </label>
          </div>
        </fieldset>
        <fieldset>
          <legend>Folders</legend>
          <div className="field">
            <label htmlFor="scan-folders">Folders to scan</label>
            <input id="scan-folders" value={scan} onChange={(e) => setScan(e.target.value)} aria-describedby="scan-hint" />
            <span id="scan-hint" className="hint">
              Separated by commas. “Junk” stands for your server’s junk or spam folder.
            </span>
          </div>
          <div className="field">
            <label htmlFor="sent-folders">Folders with the mail you sent</label>
            <input id="sent-folders" value={sent} onChange={(e) => setSent(e.target.value)} placeholder="Found by the app" aria-describedby="sent-hint" />
            <span id="sent-hint" className="hint">
              Leave empty unless the app finds the wrong ones.
            </span>
          </div>
          <div className="field">
            <label htmlFor="destination">Move backscatter to</label>
            <input id="destination" value={destination} onChange={(e) => setDestination(e.target.value)} />
          </div>
        </fieldset>
        <fieldset>
          <legend>Other senders</legend>
          <div className="field">
            <label htmlFor="trusted">Systems that send mail as you without keeping a copy in Sent</label>
            <textarea id="trusted" rows={3} value={trusted} onChange={(e) => setTrusted(e.target.value)} aria-describedby="trusted-hint" />
            <span id="trusted-hint" className="hint">
              Their Message-ID domains, one per line (for example *.sendgrid.net): bounces of their mail are real.
            </span>
          </div>
        </fieldset>
        <fieldset>
          <legend>Downloads</legend>
          <div className="field">
            <label htmlFor="budget">Most to download from this account in a day (MB)</label>
            <input
              id="budget"
              inputMode="numeric"
              value={budget}
              onChange={(e) => setBudget(e.target.value)}
              placeholder={providerBudget === null ? "No limit" : `${providerBudget.toLocaleString("en")} (your provider's default)`}
              aria-describedby="budget-hint"
            />
            <span id="budget-hint" className="hint">
              {usage
                ? `Downloaded today: ${(usage.downloadedToday / 1e6).toLocaleString("en", { maximumFractionDigits: 1 })} MB${usage.dailyBudgetMb === null ? "" : ` of ${usage.dailyBudgetMb.toLocaleString("en")} MB`}. `
                : ""}
              Once the day&apos;s budget is spent, scans and sweeps stop and go on the next day. Gmail allows 2,500 MB a day to all your mail programs together.
            </span>
          </div>
        </fieldset>
        <fieldset>
          <legend>Clean-up of {account.destination}</legend>
          <div className="field">
            <label htmlFor="cleanup-days">Delete what the app moved there</label>
            <select
              id="cleanup-days"
              value={cleanupDays ?? ""}
              onChange={(e) => setCleanupDays(e.target.value === "" ? null : Number(e.target.value))}
              aria-describedby="cleanup-hint"
            >
              {CLEANUPS.map(([label, days]) => (
                <option key={label} value={days ?? ""}>
                  {label}
                </option>
              ))}
            </select>
            <span id="cleanup-hint" className="hint">
              The one time the app deletes mail: only backscatter it moved itself, only after you confirm, never anything else in the folder.
            </span>
          </div>
          <Cleanup key={`${account.cleanupDays ?? "off"}`} client={client} account={account} onDone={(text) => onSaved(account, text)} />
        </fieldset>
        <div className="actions">
          <button className="primary" type="submit">
            Save
          </button>
        </div>
        <Failure text={failure} />
      </form>
      {account.oauth ? (
        <>
          <h3>Sign-in</h3>
          <p className="hint">
            {account.user} signs in with{" "}
            {account.oauth.provider === "oidc" ? account.oauth.issuer : account.oauth.provider === "google" ? "Google" : "Microsoft"}. If the app says you are
            signed out, sign in again here.
          </p>
          <SignIn
            client={client}
            provider={account.oauth.provider === "oidc" ? account.oauth.issuer : account.oauth.provider}
            clientId={account.oauth.clientId}
            label={account.oauth.provider === "oidc" ? "your provider again" : account.oauth.provider === "google" ? "Google again" : "Microsoft again"}
            email={account.user}
            imap={{ host: account.host, port: account.port, security: account.security }}
            onDone={(a) => onSaved(a, "Signed in again.")}
          />
        </>
      ) : null}
      <h3>All scheduled scans</h3>
      <p>
        {state?.paused ? "Paused. " : ""}
        <button onClick={() => void pause(!state?.paused)}>{state?.paused ? "Resume scheduled scans" : "Pause scheduled scans"}</button>
      </p>
      <h3>Accounts</h3>
      <ul className="accounts">
        {accounts.map((a) => (
          <li key={a.id}>
            <span>
              {a.user} <small className="hint">{a.host}</small>
            </span>
            <button onClick={() => void remove(a)}>Remove</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
