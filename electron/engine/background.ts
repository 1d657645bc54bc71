/**
 * Scheduled scans: one scheduler per account, started for those that ask for them (single
 * flight, jitter, backoff after failures), all paused or resumed together; "scan now" (tray,
 * resume from sleep) runs any account's through the same single flight. A background scan moves only what the
 * account allows (high-confidence backscatter, or nothing) and reports in a line fit for a
 * notification: "37 backscatter moved, 2 to review".
 */
import type { BackgroundResult, CoreApi, ScheduleState, WatchState } from "../../shared/api.js";
import type { Account } from "../../shared/model.js";
import { summarizeBackground } from "../../shared/summary.js";
import { createScheduler, type Scheduler, type SchedulerTimers } from "./scheduler.js";

export interface BackgroundDeps {
  engine: Pick<CoreApi, "scan">;
  /** Each account's watch (watch/watching.ts), shown beside its schedule. */
  watchState?: (accountId: number) => WatchState | null;
  emit?: (event: "background", payload: BackgroundResult) => void;
  timers?: SchedulerTimers;
  now?: () => number;
  random?: () => number;
}

export interface Background {
  /** Starts, changes or ends each account's schedule to match its settings. */
  sync(accounts: readonly Account[]): void;
  status(): ScheduleState;
  pause(paused: boolean): void;
  /** Runs the scan of one account (or of all, scheduled or not) now; one already running is not started twice. */
  runNow(accountId?: number): Promise<void>;
  stop(): void;
}

interface Job {
  account: Account;
  scheduler: Scheduler;
  last: BackgroundResult | null;
}

export function createBackground(deps: BackgroundDeps): Background {
  const now = deps.now ?? Date.now;
  const jobs = new Map<number, Job>();
  let paused = false;

  const make = (account: Account): Job => {
    const job: Job = {
      account,
      last: null,
      scheduler: createScheduler({
        intervalMs: (account.scheduleMinutes ?? 60) * 60_000,
        run: () => run(job),
        ...(deps.timers ? { timers: deps.timers } : {}),
        ...(deps.random ? { random: deps.random } : {}),
        now,
      }),
    };
    return job;
  };
  const report = (job: Job, result: BackgroundResult): void => {
    job.last = result;
    deps.emit?.("background", result);
  };
  async function run(job: Job): Promise<void> {
    const { account } = job;
    try {
      const summary = await deps.engine.scan({ accountId: account.id, automatic: account.autoMove === "high" });
      // Only a scan that found new proof rings apart; the banner stays while any is flagged.
      const alarm = summary.counts["account-misuse"] > 0 ? (summary.alarm?.text ?? null) : null;
      report(job, { accountId: account.id, at: now(), source: "schedule", text: summarizeBackground(summary), error: null, alarm, flood: null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report(job, {
        accountId: account.id,
        at: now(),
        source: "schedule",
        text: `The scheduled scan of ${account.user} failed: ${message}`,
        error: message,
        alarm: null,
        flood: null,
      });
      throw error; // the scheduler backs off
    }
  }

  return {
    sync(accounts) {
      const wanted = new Map(accounts.map((a) => [a.id, a]));
      for (const [id, job] of jobs) {
        const next = wanted.get(id);
        if (next && next.scheduleMinutes === job.account.scheduleMinutes) {
          job.account = next; // other settings (automatic moves) apply from the next run
          continue;
        }
        job.scheduler.stop();
        jobs.delete(id);
      }
      for (const [id, account] of wanted) {
        if (jobs.has(id)) continue;
        const job = make(account);
        jobs.set(id, job);
        if (!paused && account.scheduleMinutes !== null) job.scheduler.start();
      }
    },
    status: () => ({
      paused,
      accounts: [...jobs.values()].map((j) => ({
        accountId: j.account.id,
        user: j.account.user,
        everyMinutes: j.account.scheduleMinutes,
        nextAt: j.scheduler.nextAt(),
        last: j.last,
        watch: deps.watchState?.(j.account.id) ?? null,
      })),
    }),
    pause(p) {
      paused = p;
      for (const job of jobs.values()) {
        if (p) job.scheduler.stop();
        else if (job.account.scheduleMinutes !== null) job.scheduler.start();
      }
    },
    async runNow(accountId) {
      const chosen = [...jobs.values()].filter((j) => accountId === undefined || j.account.id === accountId);
      await Promise.all(chosen.map((j) => j.scheduler.runNow()));
    },
    stop() {
      for (const job of jobs.values()) job.scheduler.stop();
    },
  };
}
