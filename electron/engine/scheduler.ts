/**
 * Runs a job on an interval, one run at a time. Each wait is jittered so that many installs do
 * not hit a provider at the same second; after a failure the next try comes sooner and then
 * backs off exponentially, so a dead server or a wrong password is not hammered. Timers and
 * randomness are injected: hosts pass the real ones, tests drive a fake clock.
 */

export interface SchedulerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
  intervalMs: number;
  /** The job. A rejection counts as a failure; the scheduler goes on. */
  run: () => Promise<void>;
  /** ± this fraction of each wait (default 0.1). */
  jitter?: number;
  /** First retry after a failure (default: one minute, or the interval when shorter). */
  retryMs?: number;
  /** Longest wait after repeated failures (default: six hours, or the interval when longer). */
  maxBackoffMs?: number;
  random?: () => number;
  now?: () => number;
  timers?: SchedulerTimers;
  /** Told after every run: the error (or null) and when the next run is due. */
  onSettled?: (error: unknown, nextAt: number) => void;
}

export interface Scheduler {
  start(): void;
  stop(): void;
  /** Runs now unless a run is under way ("busy": single flight); the interval restarts after it. */
  runNow(): Promise<"ran" | "busy">;
  /** When the next run is due (ms since the epoch), or null when stopped. */
  nextAt(): number | null;
  running(): boolean;
  /** Consecutive failed runs. */
  failures(): number;
}

const realTimers: SchedulerTimers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

/** The wait before the next run: the interval after a success, a growing retry after failures. */
export function nextDelay(options: Pick<SchedulerOptions, "intervalMs" | "retryMs" | "maxBackoffMs" | "jitter">, failures: number, random: number): number {
  const { intervalMs } = options;
  const retry = options.retryMs ?? Math.min(60_000, intervalMs);
  const cap = options.maxBackoffMs ?? Math.max(6 * 3_600_000, intervalMs);
  const base = failures === 0 ? intervalMs : Math.min(cap, retry * 2 ** Math.min(failures - 1, 30));
  const spread = options.jitter ?? 0.1;
  return Math.max(0, Math.round(base * (1 + spread * (2 * random - 1))));
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const timers = options.timers ?? realTimers;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  let handle: unknown = null;
  let due: number | null = null;
  let active = false;
  let started = false;
  let failed = 0;

  const arm = (): void => {
    if (handle !== null) timers.clearTimeout(handle);
    handle = null;
    due = null;
    if (!started) return;
    const delay = nextDelay(options, failed, random());
    due = now() + delay;
    handle = timers.setTimeout(() => void fire(), delay);
  };

  const fire = async (): Promise<"ran" | "busy"> => {
    if (active) return "busy";
    active = true;
    if (handle !== null) timers.clearTimeout(handle);
    handle = null;
    due = null;
    let error: unknown = null;
    try {
      await options.run();
      failed = 0;
    } catch (e) {
      error = e;
      failed++;
    } finally {
      active = false;
    }
    arm();
    options.onSettled?.(error, due ?? now());
    return "ran";
  };

  return {
    start() {
      if (started) return;
      started = true;
      if (!active) arm();
    },
    stop() {
      started = false;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
      due = null;
    },
    runNow: fire,
    nextAt: () => due,
    running: () => active,
    failures: () => failed,
  };
}
