/**
 * The engine's contract, written once. The engine implements {@link AppApi} (a missing
 * handler is a compile error); every host (CLI, Electron relay, WebSocket `serve`) and every
 * client derives its types from it. Each handler takes one object argument.
 */
import type { Account, AccountInput, Item, MisuseAlarm, MoveSummary, Progress, ScanSummary, Security, UndoSummary, VerdictKind } from "./model.js";
import type { Campaign, DomainCheck } from "./doctor.js";
import type { SignInKind } from "./providers.js";

export interface ConnectionTest {
  ok: boolean;
  /** What happened, in words. */
  message: string;
  kind?: string;
  capabilities?: string[];
  sentFolders?: string[];
  /** For an untrusted certificate: its SHA-256 fingerprint, to pin after the user checks it. */
  fingerprint?: string;
}

export interface IndexSummary {
  folders: string[];
  added: number;
  total: number;
  unchanged: string[];
  warnings: string[];
}

export interface AccountStatus {
  account: Account;
  sentIndexed: number;
  counts: Partial<Record<VerdictKind, number>>;
  moved: number;
  toReview: number;
  /** Reports that show mail sent through the account itself: the alarm, or null. */
  misuse: MisuseAlarm | null;
  /** Bytes downloaded from the account today, and the day's budget in MB (its own or its provider's; null: none). */
  downloadedToday: number;
  dailyBudgetMb: number | null;
}

/** Whether the profile's database could be opened; if not, why, and that it can be rebuilt. */
export type ProfileStatus = { ok: true } | { ok: false; problem: "corrupt" | "newer" | "io" | "full"; message: string; path: string };

export interface RebuildSummary {
  /** What happened, in words: where the old file is, what was carried over, what was not. */
  message: string;
  backup: string;
}

/** Settings found for an email address, and where they came from. */
export interface Discovery {
  host: string;
  port: number;
  security: Security;
  user: string;
  signIn: SignInKind;
  oauth?: "google" | "microsoft";
  providerId?: string;
  source: "preset" | "autoconfig" | "autoconfig-http" | "mx";
  /** What the user must know or do, in words. */
  note: string;
  /** Found over plain http: show them for the user to confirm. */
  confirm: boolean;
}

/** What a clean-up of the destination would delete, and how full the folder and the account are. */
export interface CleanupPreview {
  folder: string;
  /** The account's setting; null: clean-up is off. */
  days: number | null;
  /** Messages the app moved there more than `days` days ago. */
  candidates: number;
  messages: number;
  bytes: number;
  /** Where the server reports a quota (QUOTA): bytes of storage and number of messages, used and allowed. */
  quota: { storage: { used: number; limit: number } | null; messages: { used: number; limit: number } | null } | null;
}

export interface CleanupResult {
  folder: string;
  deleted: number;
  /** Candidates no longer as we left them (moved, changed or deleted by another program): left alone. */
  skipped: number;
}

/** One run in the activity journal: what it did, in words. */
export interface ActivityEntry {
  /** The run (negative for a clean-up, which cannot be undone). */
  runId: number;
  kind: "scan" | "move" | "undo" | "index" | "cleanup";
  startedAt: number;
  finishedAt: number | null;
  /** "Scanned 1,204 messages: 37 backscatter, 2 to review", "Moved 37 messages", ... */
  text: string;
  /** A move run whose messages are (partly) still where it put them: it can be undone. */
  undoable: boolean;
}

/** What a scheduled (background) scan or a sweep of new mail (watch) did, for the tray, a notification and the dashboard. */
export interface BackgroundResult {
  accountId: number;
  at: number;
  /** A scheduled scan, or the sweep of mail that just arrived. */
  source: "schedule" | "watch";
  /** "37 backscatter moved, 2 to review", or the error in words. */
  text: string;
  error: string | null;
  /** This scan found reports of mail sent through the account itself: the alarm in words, apart from the summary. */
  alarm: string | null;
  /** A flood of backscatter started or faded with this sweep: said once, in words, apart from the summary. */
  flood: string | null;
}

/** Sweeping new mail as it arrives, for one account. */
export interface WatchState {
  /** "watching": told of new mail at once (IDLE); "polling": looked for at the schedule's interval (the server allows no waiting connection); "reconnecting": the connection was lost; "stopped": it cannot go on (`problem` says why). */
  mode: "starting" | "watching" | "polling" | "reconnecting" | "stopped";
  since: number;
  /** The last sweep that found something: when, and what it did in words. */
  lastSweep: { at: number; text: string } | null;
  /** A flood under way, in words ("A flood of backscatter started at 14:02: 312 swept so far."). */
  flood: string | null;
  problem: string | null;
}

export interface ScheduleState {
  paused: boolean;
  /** Every account; `everyMinutes` null where scheduled scans are off, `watch` null where watching is off (or paused). */
  accounts: { accountId: number; user: string; everyMinutes: number | null; nextAt: number | null; last: BackgroundResult | null; watch: WatchState | null }[];
}

/** The engine's own methods: what the CLI, the tests and every host share. */
export interface CoreApi {
  /** IMAP settings for an address: a preset, the domain's autoconfig, or its MX; null when none was found. */
  discover(args: { email: string }): Promise<Discovery | null>;
  accountAdd(args: { account: AccountInput; secret?: string }): Promise<Account>;
  /**
   * Starts an OAuth2 sign-in ("google", "microsoft" or an issuer URL): the address to open in the
   * user's browser, which comes back to a loopback port the engine opened for it.
   */
  signInStart(args: {
    provider: string;
    clientId?: string;
    email: string;
    imap?: { host: string; port: number; security: Security };
  }): Promise<{ signInId: number; url: string }>;
  /** Waits for that sign-in to come back; adds the account (or renews its sign-in). */
  signInFinish(args: { signInId: number }): Promise<Account>;
  accountList(args: Record<string, never>): Promise<Account[]>;
  /** Changes settings (folders, destination, a pinned certificate, ...) and, if given, the secret. */
  accountUpdate(args: { accountId: number; changes: Partial<AccountInput>; secret?: string }): Promise<Account>;
  accountRemove(args: { accountId: number }): Promise<void>;
  accountTest(args: { accountId: number }): Promise<ConnectionTest>;
  index(args: { accountId: number }): Promise<IndexSummary>;
  /**
   * Indexes, then scans. `apply` moves every backscatter verdict; `automatic` only high-confidence
   * ones. `listFlagged` puts this run's flagged items in the summary (the CLI's --json); the UI
   * reads them through review.
   */
  scan(args: { accountId: number; apply?: boolean; automatic?: boolean; listFlagged?: boolean }): Promise<ScanSummary>;
  review(args: { accountId: number; verdicts?: VerdictKind[] }): Promise<Item[]>;
  move(args: { accountId: number; itemIds?: number[] }): Promise<MoveSummary>;
  /** Undoes the last move run, or the given run, or the given items, or (`all`) every move still in place. */
  undo(args: { accountId: number; runId?: number; itemIds?: number[]; all?: boolean }): Promise<UndoSummary>;
  /** "Not backscatter": never flagged again; `rule` also allows the recipient or its domain. */
  keep(args: { itemId: number; rule?: "recipient" | "domain" }): Promise<Item>;
  status(args: { accountId: number }): Promise<AccountStatus>;
  cancel(args: Record<string, never>): Promise<void>;
  /** The journal of runs, newest first. */
  activity(args: { accountId: number; limit?: number }): Promise<ActivityEntry[]>;
  cleanupPreview(args: { accountId: number }): Promise<CleanupPreview>;
  /** Deletes what the app moved to the destination more than the account's clean-up days ago. `confirm` is the user's yes. */
  cleanup(args: { accountId: number; confirm: true }): Promise<CleanupResult>;
  /** The domain check of `domain`, or of every sending domain of the account: SPF, DKIM, DMARC, MX, and what to change. */
  doctor(args: { accountId?: number; domain?: string }): Promise<DomainCheck[]>;
  /** The campaigns of the account's backscatter, largest first, with the flood's trend in a line. */
  campaigns(args: { accountId: number }): Promise<{ campaigns: Campaign[]; line: string | null }>;
}

/** What a host with a UI adds around the engine: the profile's health and the background schedule. */
export interface HostApi {
  profileStatus(args: Record<string, never>): Promise<ProfileStatus>;
  /** Starts a fresh database when the old one cannot be used (damaged, or from a newer version); the old file is kept. */
  profileRebuild(args: Record<string, never>): Promise<RebuildSummary>;
  scheduleStatus(args: Record<string, never>): Promise<ScheduleState>;
  /** Pauses or resumes every scheduled scan. */
  schedulePause(args: { paused: boolean }): Promise<ScheduleState>;
  /** Runs the scheduled scan of one account (or all) now, unless it is already running. */
  scheduleRunNow(args: { accountId?: number }): Promise<ScheduleState>;
}

/** The app's whole contract: the engine's methods and the host's, as a host serves them (Electron relay, `serve`) and the UI calls them. */
export interface AppApi extends CoreApi, HostApi {}

export interface EngineEvents {
  progress: Progress & { accountId: number };
  background: BackgroundResult;
  /** An account's watch changed its mode (started waiting, fell back to polling, lost its connection, stopped). */
  watch: { accountId: number; state: WatchState };
}

export type AppMethod = keyof AppApi;

export const CORE_METHODS = [
  "discover",
  "signInStart",
  "signInFinish",
  "accountAdd",
  "accountList",
  "accountUpdate",
  "accountRemove",
  "accountTest",
  "index",
  "scan",
  "review",
  "move",
  "undo",
  "keep",
  "status",
  "cancel",
  "activity",
  "cleanupPreview",
  "cleanup",
  "doctor",
  "campaigns",
] as const satisfies readonly (keyof CoreApi)[];
export const HOST_METHODS = [
  "profileStatus",
  "profileRebuild",
  "scheduleStatus",
  "schedulePause",
  "scheduleRunNow",
] as const satisfies readonly (keyof HostApi)[];
/** The allow-list of method names a relay accepts, derived from the contract. */
export const APP_METHODS = [...CORE_METHODS, ...HOST_METHODS] as const satisfies readonly AppMethod[];

type Exhaustive<T extends readonly string[], U extends string> = [U] extends [T[number]] ? true : never;
/** Compile-time checks that the lists name every method of the contract. */
export const APP_METHODS_COMPLETE: Exhaustive<typeof APP_METHODS, AppMethod> = true;
export const CORE_METHODS_COMPLETE: Exhaustive<typeof CORE_METHODS, keyof CoreApi> = true;
