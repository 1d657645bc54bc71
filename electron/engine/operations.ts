/**
 * How every engine operation gets its IMAP session: one operation per account at a time in this
 * process (a second waits), one process at a time per account (a lease in the profile; another
 * process is told who holds it), and a dropped connection or a silent server answered by
 * reconnecting with backoff and running the operation again. That is safe because every step is
 * checkpointed or journalled: a rerun settles the journal first and goes on from the checkpoints.
 */
import type { EngineEvents } from "../../shared/api.js";
import type { Account, Progress } from "../../shared/model.js";
import type { OperationContext, ReadAheadStarter, SearchPassOptions } from "./context.js";
import { budgetFor } from "./budget.js";
import { createLeases, processIdentity } from "./db/lease.js";
import { describeDatabaseError, type Db } from "./db/open.js";
import { describeImapError, ImapError, isTransient } from "./imap/errors.js";
import type { ImapPort, StorePort } from "./ports.js";
import { OAuthError, type Fetch } from "./oauth/provider.js";
import { parseTokens, refreshTokens, REFRESH_MARGIN_MS, serializeTokens } from "./oauth/tokens.js";
import type { Dns } from "./dns/resolver.js";
import { READ_AHEAD_BYTES, READ_AHEAD_CONNECTIONS, READ_AHEAD_FETCH_UIDS, READ_AHEAD_WIDEN_AFTER_MS, startReadAhead } from "./readAhead/reader.js";
import { SEARCH_FROM } from "./scan/firstPass.js";
import { accountSecretKey, type SecretStore } from "./secrets.js";

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** The first wait; each further one doubles, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** The shortest wait after the server said to slow down (throttling); doubling too, up to ten times it. */
  throttledMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 500, maxMs: 15_000, throttledMs: 15_000 };

export interface RunnerDeps {
  db: Db;
  store: StorePort;
  secrets: SecretStore;
  openSession: (account: Account, secret: string) => Promise<ImapPort>;
  emit?: <K extends "progress">(event: K, payload: EngineEvents[K]) => void;
  retry?: RetryPolicy;
  /** This process, and how to tell whether another one still runs (tests inject both). */
  pid?: number;
  /** Who runs as a PID (see db/lease.ts); tests fake it. */
  identity?: (pid: number) => string | null;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** For token refreshes (tests hand in their own). */
  fetch?: Fetch;
  /** Phase 1 of large scans read on a second connection (readAhead/reader.ts); absent: off. */
  readAhead?: ReadAheadOptions;
  dns: Dns;
  /** See OperationContext.searchPass (default: from {@link SEARCH_FROM} new messages). */
  searchPass?: SearchPassOptions | false;
}

export interface ReadAheadOptions {
  /** New messages in a folder from which its scan is read ahead. */
  fromMessages: number;
  /** The worker script (tests running from source hand in the compiled one). */
  worker?: URL;
  /** Milliseconds the scanner waits for chunks before the worker reads with more connections (default {@link READ_AHEAD_WIDEN_AFTER_MS}). */
  widenAfterMs?: number;
}

/** What an operation learns about its attempts: 0 on the first; the reconnects so far, in words. */
export interface Attempt {
  number: number;
  reconnects: string[];
}

export interface OperationRunner {
  withSession<T>(accountId: number, fn: (ctx: OperationContext, attempt: Attempt) => Promise<T>): Promise<T>;
  /** Aborts what runs now (checked between batches); later operations start afresh. */
  cancel(): void;
  /** A connection of its own to the account, signed in as an operation is, but outside the queue and the lease: for waiting on new mail. */
  connect(accountId: number): Promise<ImapPort>;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createOperationRunner(deps: RunnerDeps): OperationRunner {
  const { store } = deps;
  const retry = deps.retry ?? DEFAULT_RETRY;
  const pid = deps.pid ?? process.pid;
  const leases = createLeases(deps.db, deps.identity ?? processIdentity);
  const sleep = deps.sleep ?? wait;
  const now = deps.now ?? Date.now;
  const fetch: Fetch = deps.fetch ?? globalThis.fetch;
  const queues = new Map<number, Promise<unknown>>();
  let controller = new AbortController();

  async function attempts<T>(account: Account, secret: string, fn: (ctx: OperationContext, attempt: Attempt) => Promise<T>): Promise<T> {
    const progress = (p: Progress): void => deps.emit?.("progress", { ...p, accountId: account.id });
    const attempt: Attempt = { number: 0, reconnects: [] };
    const credential = credentials(account, secret);
    let connected = false;
    let refreshedAfterRefusal = false;
    const budget = budgetFor(store, account, now);
    budget.check(0);
    for (;;) {
      let session: ImapPort | undefined;
      try {
        const current = await credential.get(false);
        session = await deps.openSession(account, current);
        connected = true;
        const readAhead = readAheadWith(account, current);
        const reading = session;
        return await fn(
          {
            account,
            session,
            store,
            progress,
            signal: controller.signal,
            dns: deps.dns,
            budget: { check: (more) => budget.check(reading.bytesRead() + more), record: budget.record },
            searchPass: deps.searchPass ?? { fromMessages: SEARCH_FROM },
            ...(readAhead ? { readAhead } : {}),
          },
          attempt,
        );
      } catch (error) {
        // A token the server refused (expired early, or revoked on its side): refresh once and try again.
        if (account.oauth && !refreshedAfterRefusal && error instanceof ImapError && error.kind === "credentials") {
          refreshedAfterRefusal = true;
          await credential.get(true);
          continue;
        }
        if (account.oauth && error instanceof ImapError && error.kind === "credentials")
          throw new ImapError("signin", `The server at ${account.host} does not accept the sign-in of ${account.user}. Sign in again.`);
        // A server that never answered is down: say so now rather than after minutes of retries.
        const neverAnswered = !connected && error instanceof ImapError && error.kind === "timeout";
        if (!isTransient(error) || neverAnswered || controller.signal.aborted) throw error;
        const described = describeImapError(error, account);
        if (attempt.number + 1 >= retry.attempts) {
          throw new ImapError(
            described.kind,
            `${described.message} It was tried ${retry.attempts} times; nothing was lost, and the next run goes on from here.`,
          );
        }
        const throttled = error instanceof ImapError && error.kind === "throttled";
        // A server that said to slow down waits from its own floor, up to ten times it.
        const first = throttled ? (retry.throttledMs ?? retry.baseMs) : retry.baseMs;
        const delay = Math.min(throttled ? 10 * first : retry.maxMs, first * 2 ** attempt.number);
        attempt.reconnects.push(
          throttled
            ? `${account.host} asked the app to slow down; it waited ${(delay / 1000).toFixed(1)} s and went on.`
            : `The connection to ${account.host} was lost (${described.message}); reconnected after ${(delay / 1000).toFixed(1)} s and went on.`,
        );
        attempt.number++;
        progress({ phase: "reconnect", done: attempt.number, total: retry.attempts - 1 });
        await sleep(delay);
      } finally {
        // Counted even when the session failed: the bytes were downloaded all the same.
        if (session) budget.record(session.bytesRead());
        await session?.close();
      }
    }
  }

  function readAheadWith(account: Account, secret: string): ReadAheadStarter | null {
    const options = deps.readAhead;
    if (!options) return null;
    return {
      fromMessages: options.fromMessages,
      start: (task) =>
        startReadAhead(
          {
            account,
            secret,
            lookaheadBytes: READ_AHEAD_BYTES,
            fetchUids: READ_AHEAD_FETCH_UIDS,
            connections: READ_AHEAD_CONNECTIONS,
            widenAfterMs: options.widenAfterMs ?? READ_AHEAD_WIDEN_AFTER_MS,
            ...task,
          },
          options.worker,
          controller.signal,
        ),
    };
  }

  /** The password, or for an OAuth2 account its access token, refreshed when due (or when forced) and saved back. */
  function credentials(account: Account, secret: string): { get(force: boolean): Promise<string> } {
    let current = secret;
    return {
      async get(force) {
        if (!account.oauth) return current;
        const tokens = parseTokens(current);
        if (!tokens) throw new ImapError("signin", `The sign-in of ${account.user} is missing. Sign in again.`);
        if (!force && tokens.expiresAt - now() > REFRESH_MARGIN_MS) return tokens.accessToken;
        try {
          const fresh = await refreshTokens(account.oauth, tokens, fetch, now);
          current = serializeTokens(fresh);
          await deps.secrets.set(accountSecretKey(account.id), current);
          return fresh.accessToken;
        } catch (error) {
          if (error instanceof OAuthError && error.kind === "revoked")
            throw new ImapError("signin", `${account.user} is signed out: the sign-in was withdrawn or has expired. Sign in again.`);
          if (error instanceof OAuthError)
            throw new ImapError("connection", `The connection to ${account.oauth.issuer} was lost while renewing the sign-in: ${error.message}`);
          throw error;
        }
      },
    };
  }

  async function accountWithSecret(accountId: number): Promise<{ account: Account; secret: string }> {
    const account = store.account(accountId);
    if (!account) throw new Error(`There is no account ${accountId}.`);
    const secret = await deps.secrets.get(accountSecretKey(accountId));
    if (secret === null) throw new ImapError("credentials", `No password is stored for ${account.user}. Add the account again, or give the password.`);
    return { account, secret };
  }

  async function connect(accountId: number): Promise<ImapPort> {
    const { account, secret } = await accountWithSecret(accountId);
    return deps.openSession(account, await credentials(account, secret).get(false));
  }

  function withSession<T>(accountId: number, fn: (ctx: OperationContext, attempt: Attempt) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const { account, secret } = await accountWithSecret(accountId);
      if (controller.signal.aborted) controller = new AbortController();
      const holder = leases.acquire(accountId, pid);
      if (holder !== null)
        throw new ImapError("busy", `Another Backscatter Sweeper (process ${holder}) is working on ${account.user} right now. Try again when it has finished.`);
      try {
        return await attempts(account, secret, fn);
      } catch (error) {
        throw describeDatabaseError(error) ?? error;
      } finally {
        // On a full disk even this may fail; a lease left behind is taken over once this process has ended.
        try {
          leases.release(accountId, pid);
        } catch {
          /* see above */
        }
      }
    };
    const previous = queues.get(accountId) ?? Promise.resolve();
    const next = previous.then(run, run);
    queues.set(
      accountId,
      next.catch(() => undefined),
    );
    return next;
  }

  return { withSession, connect, cancel: () => controller.abort() };
}
