import { useCallback, useEffect, useState } from "react";
import type { AccountStatus, ProfileStatus, ScheduleState } from "../shared/api.js";
import type { Account, Item, Progress, ScanSummary, VerdictKind } from "../shared/model.js";
import type { Bridge } from "./bridge.js";
import { AccountsSummary } from "./components/AccountsSummary.js";
import { WhyPanel } from "./components/WhyPanel.js";
import { Activity } from "./views/Activity.js";
import { Dashboard } from "./views/Dashboard.js";
import { Onboarding } from "./views/Onboarding.js";
import { Recovery } from "./views/Recovery.js";
import { Review } from "./views/Review.js";
import { Settings } from "./views/Settings.js";

type View = "dashboard" | "review" | "activity" | "settings";
const VIEWS: readonly View[] = ["dashboard", "review", "activity", "settings"];

/** The window: onboarding until there is an account, then the overview and the review list. */
export function App({ bridge }: { bridge: Bridge }): React.JSX.Element {
  const { client } = bridge;
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [accountId, setAccountId] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [view, setView] = useState<View>("dashboard");
  const [reviewFilter, setReviewFilter] = useState<VerdictKind | "all">("all");
  const [items, setItems] = useState<Item[]>([]);
  const [status, setStatus] = useState<AccountStatus | null>(null);
  const [lastScan, setLastScan] = useState<{ at: number; summary: ScanSummary } | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [scanning, setScanning] = useState(false);
  const [message, setMessage] = useState("");
  const [problem, setProblem] = useState<Exclude<ProfileStatus, { ok: true }> | null>(null);
  const [schedule, setSchedule] = useState<ScheduleState | null>(null);
  const [backgroundAt, setBackgroundAt] = useState(0);

  const refresh = useCallback(
    async (id: number) => {
      const [list, s, plan] = await Promise.all([client.review({ accountId: id }), client.status({ accountId: id }), client.scheduleStatus({})]);
      setItems(list);
      setStatus(s);
      setSchedule(plan);
    },
    [client],
  );

  const loadAccounts = useCallback(async () => {
    const health = await client.profileStatus({});
    if (!health.ok) {
      setProblem(health);
      return;
    }
    setProblem(null);
    const list = await client.accountList({});
    setAccounts(list);
    setAccountId(list[0]?.id ?? null);
  }, [client]);

  useEffect(() => {
    void loadAccounts();
    return bridge.onEvent((e) => {
      if (e.event === "progress") setProgress(e.payload as Progress);
      // A scheduled scan or a sweep of new mail finished: its line, and fresh numbers.
      if (e.event === "background") setBackgroundAt(Date.now());
      if (e.event === "watch") void client.scheduleStatus({}).then(setSchedule);
    });
  }, [bridge, loadAccounts]);

  // The account's numbers: when it is chosen, and again after each background scan or sweep.
  useEffect(() => {
    if (accountId !== null) void refresh(accountId);
  }, [accountId, refresh, backgroundAt]);

  const scan = async (id: number | null, apply: boolean): Promise<void> => {
    if (id === null) return;
    setScanning(true);
    setProgress(null);
    setMessage("");
    try {
      const summary = await client.scan({ accountId: id, apply });
      setLastScan({ at: Date.now(), summary });
      setMessage(
        summary.errors.length > 0 ? `Done, but ${summary.errors.length} messages could not be read: ${summary.errors[0]?.error ?? ""}` : "Scan finished.",
      );
      await refresh(id);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
      // A database found damaged during the scan: show the rebuild offer.
      const health = await client.profileStatus({});
      if (!health.ok) setProblem(health);
    } finally {
      setScanning(false);
    }
  };

  if (problem) {
    return (
      <Shell>
        <Recovery
          client={client}
          problem={problem}
          onRebuilt={(text) => {
            setMessage(text);
            void loadAccounts();
          }}
        />
      </Shell>
    );
  }
  if (accounts === null) return <p className="loading">Loading…</p>;
  if (accounts.length === 0 || adding) {
    return (
      <Shell>
        <Onboarding
          client={client}
          secretsPath={bridge.secretsPath}
          onCancel={accounts.length > 0 ? () => setAdding(false) : undefined}
          onDone={(account) => {
            setAccounts([...accounts.filter((a) => a.id !== account.id), account]);
            setAccountId(account.id);
            setAdding(false);
            setView("dashboard");
            void scan(account.id, false);
          }}
        />
      </Shell>
    );
  }
  const account = accounts.find((a) => a.id === accountId) ?? accounts[0];
  return (
    <Shell>
      <nav aria-label="Views" className="tabs">
        {VIEWS.map((v) => (
          <button key={v} aria-current={view === v ? "page" : undefined} onClick={() => (setReviewFilter("all"), setView(v))}>
            {v === "dashboard"
              ? "Overview"
              : v === "review"
                ? `Review (${items.filter((i) => i.state === "flagged").length})`
                : v === "activity"
                  ? "Activity"
                  : "Settings"}
          </button>
        ))}
        {accounts.length > 1 ? (
          <select className="account" aria-label="Account" value={account?.id ?? ""} onChange={(e) => setAccountId(Number(e.target.value))}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.user}
              </option>
            ))}
          </select>
        ) : (
          <span className="account">{account?.user}</span>
        )}
        <button onClick={() => setAdding(true)}>Add account</button>
      </nav>
      {message ? (
        <p className="message" role="status">
          {message}
        </p>
      ) : null}
      {view === "dashboard" ? <AccountsSummary client={client} accounts={accounts} refreshKey={status} /> : null}
      {view === "dashboard" ? (
        <Dashboard
          status={status}
          items={items}
          lastScan={lastScan?.summary.accountId === account?.id ? lastScan : null}
          progress={progress}
          scanning={scanning}
          schedule={schedule?.accounts.find((a) => a.accountId === account?.id) ?? null}
          paused={schedule?.paused ?? false}
          onScan={(apply) => void scan(accountId, apply)}
          onCancel={() => void client.cancel({})}
          onReviewMisuse={() => (setReviewFilter("account-misuse"), setView("review"))}
        />
      ) : null}
      {view === "dashboard" && account ? <WhyPanel client={client} accountId={account.id} refreshKey={status} /> : null}
      {view === "review" ? (
        <Review
          initialFilter={reviewFilter}
          client={client}
          accountId={account?.id ?? 0}
          items={items}
          onChanged={(text) => {
            setMessage(text);
            if (account) void refresh(account.id);
          }}
        />
      ) : null}
      {view === "activity" && account ? (
        <Activity
          client={client}
          accountId={account.id}
          onChanged={(text) => {
            setMessage(text);
            void refresh(account.id);
          }}
        />
      ) : null}
      {view === "settings" && account ? (
        <Settings
          key={account.id}
          client={client}
          account={account}
          accounts={accounts}
          onSaved={(saved, text) => {
            setAccounts(accounts.map((a) => (a.id === saved.id ? saved : a)));
            setMessage(text);
            void refresh(saved.id);
          }}
          onRemoved={(id) => {
            const rest = accounts.filter((a) => a.id !== id);
            setAccounts(rest);
            setAccountId(rest[0]?.id ?? null);
            setView("dashboard");
            setMessage("Account removed.");
          }}
        />
      ) : null}
    </Shell>
  );
}

function Shell({ children }: { children: React.ReactNode }): React.JSX.Element {
  return (
    <>
      <header className="app-header">
        <h1>Backscatter Sweeper</h1>
      </header>
      <main>{children}</main>
    </>
  );
}
