/**
 * Watching an account: one connection waits on the inbox (IDLE), and each arrival is swept by the
 * engine's own scan (new mail only: the same gate, parser, classifier and journalled mover), so a
 * crash mid-sweep is the same crash as mid-scan. Mail that arrives during a sweep is the next
 * sweep's. A lost connection is opened again with backoff and followed by a sweep (it catches what
 * arrived meanwhile); so is a wake from sleep. A server that refuses the waiting connection beside
 * the sweep's is polled instead, at the schedule's interval.
 */
import type { CoreApi } from "../../../shared/api.js";
import type { Account, Item, ScanSummary } from "../../../shared/model.js";
import { untilNextDay } from "../budget.js";
import { describeImapError, ImapError } from "../imap/errors.js";
import type { ImapPort } from "../ports.js";
import { floodText, noFlood, noteArrivals, type FloodChange, type FloodState } from "./flood.js";

/** Re-IDLE before servers drop it (RFC 2177 asks for at least every 29 minutes). */
export const IDLE_MS = 25 * 60_000;
/** The clock moved this much further than the heartbeat's interval: the computer slept. */
const SLEPT_MS = 60_000;
const HEARTBEAT_MS = 30_000;

export type WatchMoves = "all" | "automatic" | "none";

export interface Sweep {
  at: number;
  summary: ScanSummary;
  /** What the sweep found: every item but legit bounces, as they stand after its moves. */
  items: Item[];
  /** The flood under way, in words, or null. */
  flood: string | null;
}

export interface WatchDeps {
  account: Account;
  scan: CoreApi["scan"];
  /** The waiting connection (Engine.connect). */
  connect: (accountId: number) => Promise<ImapPort>;
  /** "all" moves every backscatter verdict (the CLI's --apply), "automatic" as the account's setting, "none" nothing. */
  moves: WatchMoves;
  signal: AbortSignal;
  onSweep?: (sweep: Sweep) => void;
  /** Connection lost, polling instead, a failed sweep: in words. */
  onNotice?: (text: string) => void;
  onFlood?: (change: FloodChange, state: FloodState) => void;
  /** Told when the watch starts waiting (IDLE), falls back to polling, or lost its connection. */
  onMode?: (mode: "watching" | "polling" | "reconnecting") => void;
  /** Sweep once before the first wait, for what arrived while nothing watched (default true; the app leaves that to its schedule and its user). */
  sweepFirst?: boolean;
  /** Without IDLE (or a second connection), how often to look (default: the account's schedule, else 15 minutes). */
  pollMs?: number;
  idleMs?: number;
  retry?: { baseMs: number; maxMs: number };
  /** How often to look at the clock for a wake from sleep (default 30 s; tests shorter). */
  heartbeatMs?: number;
  /** How long to wait once the day's download budget is spent (default: until a minute into the next day). */
  budgetWaitMs?: number;
  now?: () => number;
}

/** Errors a retry cannot mend: the user must act (or the watch is pointless). */
const fatal = (error: unknown): boolean => error instanceof ImapError && ["credentials", "signin", "config", "certificate"].includes(error.kind);

/** A server that will not take one more connection from this user. */
const connectionLimit = (error: unknown): boolean => error instanceof ImapError && error.kind === "limit";

const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal.aborted) done();
    else signal.addEventListener("abort", done, { once: true });
  });

/** Watches until `signal` aborts (the sweep in hand finishes first); rejects only on an error a retry cannot mend. */
export async function watchAccount(deps: WatchDeps): Promise<void> {
  const { account, signal } = deps;
  const now = deps.now ?? Date.now;
  const retry = deps.retry ?? { baseMs: 1000, maxMs: 5 * 60_000 };
  const pollMs = deps.pollMs ?? (account.scheduleMinutes ?? 15) * 60_000;
  const folder = account.scanFolders[0] ?? "INBOX";
  const say = (text: string): void => deps.onNotice?.(text);
  let flood = noFlood();
  let waiting: ImapPort | null = null;
  let poll = false;
  let failures = 0;
  let sweepDue = deps.sweepFirst ?? true;

  const note = (found: number, swept: number): void => {
    const noted = noteArrivals(flood, now(), found, swept);
    flood = noted.state;
    if (noted.change) deps.onFlood?.(noted.change, flood);
  };
  const sweep = async (catchUp: boolean): Promise<void> => {
    const summary = await deps.scan({ accountId: account.id, listFlagged: true, apply: deps.moves === "all", automatic: deps.moves === "automatic" });
    const items = summary.flagged.filter((i) => i.verdict !== "legit");
    // The backlog a watch starts with is not an arrival rate.
    const backscatter = catchUp ? [] : items.filter((i) => i.verdict === "backscatter");
    note(backscatter.length, backscatter.filter((i) => i.state === "moved").length);
    deps.onSweep?.({ at: now(), summary, items, flood: floodText(flood) });
  };

  // A wake from sleep (the clock jumped past the heartbeat) cuts the wait: the connection is likely dead.
  let wake = new AbortController();
  let beat = now();
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
  const heartbeat = setInterval(() => {
    if (now() - beat > heartbeatMs + SLEPT_MS) wake.abort();
    beat = now();
  }, heartbeatMs);
  heartbeat.unref();

  try {
    // Only the sweep a watch starts with is a backlog; later ones (after a reconnect too) are arrivals.
    let first = sweepDue;
    while (!signal.aborted) {
      try {
        if (sweepDue) {
          await sweep(first);
          first = false;
          sweepDue = false;
        }
        if (signal.aborted) break;
        if (wake.signal.aborted) throw new ImapError("connection", "The computer woke from sleep.");
        if (poll) {
          deps.onMode?.("polling");
          await abortableSleep(pollMs, AbortSignal.any([signal, wake.signal]));
          sweepDue = !signal.aborted;
        } else {
          if (!waiting) {
            waiting = await deps.connect(account.id);
            deps.onMode?.("watching");
          }
          const idles = waiting.has("IDLE");
          const result = await waiting.waitForNewMail(folder, idles ? (deps.idleMs ?? IDLE_MS) : pollMs, AbortSignal.any([signal, wake.signal]));
          sweepDue = result === "arrived" || (!idles && !signal.aborted);
        }
        if (!wake.signal.aborted) failures = 0;
        note(0, 0);
      } catch (error) {
        await waiting?.close().catch(() => undefined);
        waiting = null;
        if (signal.aborted) break;
        if (fatal(error)) throw error;
        if (wake.signal.aborted) {
          wake = new AbortController();
          sweepDue = true;
          continue;
        }
        if (error instanceof ImapError && error.kind === "budget") {
          say(`${error.message} Watching goes on then.`);
          await abortableSleep(deps.budgetWaitMs ?? untilNextDay(now()) + 60_000, signal);
        } else if (!poll && connectionLimit(error)) {
          poll = true;
          deps.onMode?.("polling");
          say(
            `${account.host} allows no second connection for ${account.user}, so new mail is looked for every ${Math.round(pollMs / 60_000)} minutes instead of as it arrives.`,
          );
        } else {
          const delay = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(failures, 20));
          failures++;
          deps.onMode?.("reconnecting");
          say(`${describeImapError(error, account).message} Trying again in ${Math.round(delay / 1000)} s; nothing is lost meanwhile.`);
          await abortableSleep(delay, signal);
        }
        sweepDue = true;
      }
    }
  } finally {
    clearInterval(heartbeat);
    await waiting?.close().catch(() => undefined);
  }
}
