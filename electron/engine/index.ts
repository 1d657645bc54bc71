/**
 * createEngine: the one backend every host runs, as a typed map of handlers (shared/api.ts's
 * CoreApi), one module per operation: accounts.ts, scan/run.ts, move/run.ts, cleanup.ts and
 * doctor/. Side effects come in through {@link EngineDeps}. Operations on one account run one at
 * a time (a second scan waits for the first), each on its own IMAP session (operations.ts).
 */
import type { CoreApi, EngineEvents, IndexSummary } from "../../shared/api.js";
import type { Account } from "../../shared/model.js";
import { accountHandlers, accountOf } from "./accounts.js";
import { activityOf } from "./activity.js";
import { floodLine } from "./campaigns.js";
import { previewCleanup, runCleanup } from "./cleanup.js";
import type { SearchPassOptions } from "./context.js";
import type { Db } from "./db/open.js";
import { createStore } from "./db/store.js";
import type { DiscoveryDeps } from "./discovery/discover.js";
import { createDns, dnsFromEnv, type Dns } from "./dns/resolver.js";
import { campaignsFor, doctorFor, learnSentSignatures } from "./doctor/forAccount.js";
import { ImapSession } from "./imap/session.js";
import type { FaultHook } from "./move/journal.js";
import { moveHandlers } from "./move/run.js";
import { createOperationRunner, type ReadAheadOptions, type RetryPolicy } from "./operations.js";
import type { ImapPort, StorePort } from "./ports.js";
import { scanHandler } from "./scan/run.js";
import type { SecretStore } from "./secrets.js";
import { indexSent } from "./sentIndexer.js";

export interface EngineDeps {
  db: Db;
  secrets: SecretStore;
  now?: () => number;
  /** Receives progress events; hosts forward them to the UI or a terminal. */
  emit?: <K extends "progress">(event: K, payload: EngineEvents[K]) => void;
  /** Test seam: a crash between journal steps. */
  fault?: FaultHook;
  openSession?: (account: Account, secret: string) => Promise<ImapPort>;
  /** Reconnects after a dropped connection (tests shorten the waits). */
  retry?: RetryPolicy;
  /** Network and DNS for finding an address's settings (tests serve them from loopback). */
  discovery?: DiscoveryDeps;
  /** Where OAuth client IDs come from (BSS_GOOGLE_CLIENT_ID, BSS_MICROSOFT_CLIENT_ID). */
  env?: Record<string, string | undefined>;
  /**
   * Phase 1 of a folder with this many new messages is read on a second connection, in a worker
   * thread (readAhead/reader.ts); false turns it off. Default: from 5,000 messages.
   */
  readAhead?: ReadAheadOptions | false;
  /** The resolver for evidence; default: `BSS_DNS` from `env` (or the system's servers). */
  dns?: Dns;
  /** From how many new messages a folder's first pass may be the server's search (default 10,000); false: always the fetch gate (tests and the benchmark compare both). */
  searchPass?: SearchPassOptions | false;
}

const DEFAULT_READ_AHEAD: ReadAheadOptions = { fromMessages: 5000 };

export type Engine = CoreApi & {
  store: StorePort;
  /** A connection of its own to an account, for waiting on new mail (watch/). */
  connect(accountId: number): Promise<ImapPort>;
};

export function createEngine(deps: EngineDeps): Engine {
  const now = deps.now ?? Date.now;
  const store = createStore(deps.db, now);
  const openSession = deps.openSession ?? ((account, secret) => ImapSession.open({ account, secret }));
  const readAhead = deps.readAhead === false ? {} : { readAhead: deps.readAhead ?? DEFAULT_READ_AHEAD };
  const dns = deps.dns ?? createDns({ server: dnsFromEnv(deps.env ?? process.env) });
  const runner = createOperationRunner({
    db: deps.db,
    store,
    secrets: deps.secrets,
    openSession,
    now,
    dns,
    ...(deps.searchPass !== undefined ? { searchPass: deps.searchPass } : {}),
    ...readAhead,
    ...(deps.emit ? { emit: deps.emit } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
  const { withSession } = runner;
  const fault = deps.fault ? { fault: deps.fault } : {};

  const api: CoreApi = {
    ...accountHandlers({ store, secrets: deps.secrets, withSession, env: deps.env ?? process.env, discovery: deps.discovery, now }),
    index: ({ accountId }) =>
      withSession(accountId, async (ctx): Promise<IndexSummary> => {
        const r = await indexSent(ctx);
        return { ...r, total: store.sentCount(accountId) };
      }),
    scan: scanHandler({ store, withSession, ...fault }),
    review: async ({ accountId, verdicts }) => store.items(accountId).filter((i) => !verdicts || verdicts.includes(i.verdict)),
    ...moveHandlers({ store, withSession, ...fault }),
    async cancel() {
      runner.cancel();
    },
    activity: async ({ accountId, limit = 200 }) => activityOf(store, accountId, limit),
    cleanupPreview: ({ accountId }) => withSession(accountId, (ctx) => previewCleanup(ctx, now())),
    cleanup: ({ accountId, confirm }) => {
      if (confirm !== true) return Promise.reject(new Error("A clean-up deletes mail: it needs the user's confirmation."));
      return withSession(accountId, (ctx) => runCleanup(ctx, now()));
    },
    async doctor({ accountId, domain }) {
      if (accountId === undefined && !domain) throw new Error("Name a domain or an account to check.");
      const account = accountId === undefined ? null : accountOf(store, accountId);
      // The selectors of the mail the user sends now; the check goes on from what is known when the server cannot be reached.
      if (account) await withSession(account.id, learnSentSignatures).catch(() => undefined);
      return doctorFor(store, dns, account, domain ?? null);
    },
    campaigns: async ({ accountId }) => {
      accountOf(store, accountId);
      const campaigns = campaignsFor(store, accountId, now());
      return { campaigns, line: floodLine(campaigns) };
    },
  };
  return { ...api, store, connect: runner.connect };
}
