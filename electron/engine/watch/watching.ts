/**
 * Watching in the hosts with a UI (the desktop app, `serve`): one watch per account that asks for
 * it, started, restarted and stopped as the accounts' settings change, paused with the schedule.
 * Each moves what the account's automatic-move setting allows, as a background scan does, and
 * reports as one: a sweep that found something, a flood that started or faded, a stop.
 */
import type { BackgroundResult, CoreApi, EngineEvents, WatchState } from "../../../shared/api.js";
import type { Account } from "../../../shared/model.js";
import { summarizeBackground } from "../../../shared/summary.js";
import type { ImapPort } from "../ports.js";
import { watchAccount, type WatchDeps } from "./watcher.js";

export interface WatchingDeps {
  engine: { scan: CoreApi["scan"]; connect(accountId: number): Promise<ImapPort> };
  emit?: <K extends "background" | "watch">(event: K, payload: EngineEvents[K]) => void;
  /** Whether the account had its first scan: a watch starts after the user's dry run has shown what would move, never before. */
  scanned?: (accountId: number) => boolean;
  now?: () => number;
  /** Test seams: shorter waits. */
  tuning?: Pick<WatchDeps, "retry" | "pollMs" | "idleMs">;
}

export interface Watching {
  /** Starts, restarts or stops each account's watch to match its settings. */
  sync(accounts: readonly Account[]): void;
  pause(paused: boolean): void;
  /** The account's watch, or null where it is off. */
  state(accountId: number): WatchState | null;
  /** Stops every watch (each finishes the sweep in hand). */
  stop(): Promise<void>;
}

interface Job {
  key: string;
  controller: AbortController;
  state: WatchState;
  done: Promise<void>;
}

/** What a watch depends on: a change to any of these starts it again. */
const keyOf = (a: Account): string =>
  JSON.stringify([a.host, a.port, a.security, a.user, a.pinnedFingerprint, a.scanFolders, a.autoMove, a.scheduleMinutes, a.oauth?.issuer ?? null]);

export function createWatching(deps: WatchingDeps): Watching {
  const now = deps.now ?? Date.now;
  const jobs = new Map<number, Job>();
  let accounts: readonly Account[] = [];
  let paused = false;
  let stopped = false;

  const report = (account: Account, result: Omit<BackgroundResult, "accountId" | "source" | "at">): void =>
    deps.emit?.("background", { accountId: account.id, source: "watch", at: now(), ...result });

  const start = (account: Account): Job => {
    const controller = new AbortController();
    const state: WatchState = { mode: "starting", since: now(), lastSweep: null, flood: null, problem: null };
    const setMode = (mode: WatchState["mode"]): void => {
      if (state.mode === mode) return;
      Object.assign(state, { mode, since: now() });
      deps.emit?.("watch", { accountId: account.id, state: { ...state } });
    };
    const done = watchAccount({
      account,
      scan: deps.engine.scan,
      connect: (id) => deps.engine.connect(id),
      moves: account.autoMove === "high" ? "automatic" : "none",
      signal: controller.signal,
      sweepFirst: false,
      ...deps.tuning,
      onMode: setMode,
      onSweep: ({ at, summary, items, flood }) => {
        state.flood = flood;
        if (items.length === 0) return;
        const text = summarizeBackground(summary);
        state.lastSweep = { at, text };
        const alarm = summary.counts["account-misuse"] > 0 ? (summary.alarm?.text ?? null) : null;
        report(account, { text, error: null, alarm, flood: null });
      },
      onFlood: (change) => report(account, { text: change.text, error: null, alarm: null, flood: change.text }),
    }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      state.problem = message;
      setMode("stopped");
      report(account, { text: `Watching ${account.user} stopped: ${message}`, error: message, alarm: null, flood: null });
    });
    return { key: keyOf(account), controller, state, done };
  };

  const apply = (): void => {
    // A sweep that ends after stop() re-syncs the accounts: no watch may start again then.
    if (stopped) return;
    const wanted = new Map(paused ? [] : accounts.filter((a) => a.watch && (deps.scanned?.(a.id) ?? true)).map((a) => [a.id, a]));
    for (const [id, job] of jobs) {
      const next = wanted.get(id);
      // A watch that stopped (a refused password) starts again on any change to the accounts.
      if (next && keyOf(next) === job.key && job.state.mode !== "stopped") continue;
      job.controller.abort();
      jobs.delete(id);
    }
    for (const [id, account] of wanted) if (!jobs.has(id)) jobs.set(id, start(account));
  };

  return {
    sync(next) {
      accounts = next;
      apply();
    },
    pause(p) {
      paused = p;
      apply();
    },
    state: (accountId) => jobs.get(accountId)?.state ?? null,
    async stop() {
      stopped = true;
      const running = [...jobs.values()];
      jobs.clear();
      for (const job of running) job.controller.abort();
      await Promise.all(running.map((j) => j.done));
    },
  };
}
