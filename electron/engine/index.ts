/**
 * createEngine: the one backend every host runs. It implements shared/api.ts over SQLite and
 * IMAP; side effects come in through {@link EngineDeps}. Operations on one account run one at a
 * time (a second scan waits for the first), and each opens its own IMAP session.
 */
import type { AccountStatus, ConnectionTest, CoreApi, EngineEvents, IndexSummary } from "../../shared/api.js";
import type { Account, Item, MessageError, MoveSummary, ScanSummary, UndoSummary, VerdictKind } from "../../shared/model.js";
import { VERDICT_KINDS } from "../../shared/model.js";
import { misuseAlarm } from "../../shared/misuse.js";
import { type OperationContext, type SearchPassOptions } from "./context.js";
import { createStore } from "./db/store.js";
import type { ImapPort, StorePort } from "./ports.js";
import type { Db } from "./db/open.js";
import { createDns, dnsFromEnv, type Dns } from "./dns/resolver.js";
import { describeImapError } from "./imap/errors.js";
import { destinationPath } from "./imap/folders.js";
import { ImapSession } from "./imap/session.js";
import { reconcile, runMoves, type FaultHook, type MoveRequest } from "./mover.js";
import { activityOf } from "./activity.js";
import { discover, type DiscoveryDeps } from "./discovery/discover.js";
import { networkDiscovery, presetsOnly } from "./discovery/network.js";
import { createPendingSignIns } from "./oauth/pending.js";
import { previewCleanup, runCleanup } from "./cleanup.js";
import { floodLine } from "./campaigns.js";
import { campaignsFor, doctorFor, learnSentSignatures } from "./doctor/forAccount.js";
import { createOperationRunner, type ReadAheadOptions, type RetryPolicy } from "./operations.js";
import { scanFolderOrSay, scanFoldersOf, startScan, type ScanStart } from "./scanner.js";
import { accountSecretKey, type SecretStore } from "./secrets.js";
import { indexSent, sentFoldersOf } from "./sentIndexer.js";

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
  /** From how many new messages a folder's first pass may be the server's search (default 2,000); false: always the fetch gate (tests and the benchmark compare both). */
  searchPass?: SearchPassOptions | false;
}

const DEFAULT_READ_AHEAD: ReadAheadOptions = { fromMessages: 5000 };

export type Engine = CoreApi & { store: StorePort };

function emptyCounts(): Record<VerdictKind, number> {
  return Object.fromEntries(VERDICT_KINDS.map((k) => [k, 0])) as Record<VerdictKind, number>;
}

export function createEngine(deps: EngineDeps): Engine {
  const now = deps.now ?? Date.now;
  const store = createStore(deps.db, now);
  const openSession = deps.openSession ?? ((account, secret) => ImapSession.open({ account, secret }));
  const readAhead = deps.readAhead === false ? {} : { readAhead: deps.readAhead ?? DEFAULT_READ_AHEAD };
  const dns = deps.dns ?? createDns({ server: dnsFromEnv(deps.env ?? process.env) });
  const runner = createOperationRunner({ db: deps.db, store, secrets: deps.secrets, openSession, now, dns, ...(deps.searchPass !== undefined ? { searchPass: deps.searchPass } : {}), ...readAhead, ...(deps.emit ? { emit: deps.emit } : {}), ...(deps.retry ? { retry: deps.retry } : {}) });
  const { withSession } = runner;

  const accountOf = (accountId: number): Account => {
    const account = store.account(accountId);
    if (!account) throw new Error(`There is no account ${accountId}.`);
    return account;
  };

  async function ensureDestination(ctx: OperationContext): Promise<string> {
    const dest = destinationPath(ctx.account.destination, await ctx.session.folders(), ctx.session.namespace());
    if (!dest.exists) await ctx.session.createFolder(dest.path);
    return dest.path;
  }

  async function settleJournal(ctx: OperationContext): Promise<string[]> {
    const r = await reconcile(ctx, (entry, destUid, destUidvalidity) => {
      if (entry.op === "move") store.setItemState(entry.itemId, "moved", entry.destFolder, destUid);
      else store.relocateItem(entry.itemId, entry.destFolder, destUidvalidity, destUid, "restored");
    });
    return r.warnings;
  }

  /** Journal entries of a run that ended done: what it moved, across reconnects and reconciles. */
  const doneIn = (runId: number): number => store.journalOfRun(runId).filter((j) => j.state === "done").length;

  /** Moves `items` under the move run `runId` (one run for all attempts of an operation). */
  async function moveItems(ctx: OperationContext, runId: number, items: readonly Item[]): Promise<MoveSummary> {
    const warnings = await settleJournal(ctx);
    const dest = await ensureDestination(ctx);
    const requests: MoveRequest[] = [];
    for (const item of items) {
      const uidvalidity = store.itemUidvalidity(item.id);
      if (uidvalidity !== null) requests.push({ item, srcFolder: item.folder, srcUidvalidity: uidvalidity, srcUid: item.uid, destFolder: dest });
    }
    const out = await runMoves(ctx, runId, "move", requests, (r, destUid) => store.setItemState(r.item.id, "moved", r.destFolder, destUid), deps.fault);
    const summary: MoveSummary = { runId, moved: doneIn(runId), failed: out.failed, warnings: [...warnings, ...out.warnings] };
    store.finishRun(runId, { moved: summary.moved, failed: out.failed.length });
    return summary;
  }

  const signIns = createPendingSignIns({ accountList: async () => store.accounts(), accountAdd: (a) => api.accountAdd(a), accountUpdate: (a) => api.accountUpdate(a) }, deps.env ?? process.env, globalThis.fetch);
  const api: CoreApi = {
    signInStart: (args) => signIns.start(args),
    signInFinish: (args) => signIns.finish(args),
    // BSS_DISCOVERY=presets: only the bundled list, no network (tests, and users who want no look-ups).
    discover: ({ email }) => discover(email, deps.discovery ?? ((deps.env ?? process.env)["BSS_DISCOVERY"] === "presets" ? presetsOnly : networkDiscovery)),
    async accountAdd({ account, secret }) {
      const created = store.addAccount(account);
      if (secret !== undefined) await deps.secrets.set(accountSecretKey(created.id), secret);
      return created;
    },
    accountList: async () => store.accounts(),
    async accountUpdate({ accountId, changes, secret }) {
      const updated = store.updateAccount(accountId, changes);
      if (!updated) throw new Error(`There is no account ${accountId}.`);
      if (secret !== undefined) await deps.secrets.set(accountSecretKey(accountId), secret);
      return updated;
    },
    async accountRemove({ accountId }) {
      store.removeAccount(accountId);
      await deps.secrets.delete(accountSecretKey(accountId));
    },
    async accountTest({ accountId }): Promise<ConnectionTest> {
      const account = accountOf(accountId);
      try {
        return await withSession(accountId, async (ctx) => ({
          ok: true,
          message: `Connected to ${account.host} as ${account.user}.`,
          capabilities: ["MOVE", "UIDPLUS", "CONDSTORE", "SPECIAL-USE"].filter((c) => ctx.session.has(c)),
          sentFolders: await sentFoldersOf(ctx),
        }));
      } catch (error) {
        const e = describeImapError(error, account);
        const out: ConnectionTest = { ok: false, message: e.message, kind: e.kind };
        if (e.fingerprint) out.fingerprint = e.fingerprint;
        return out;
      }
    },
    index: ({ accountId }) =>
      withSession(accountId, async (ctx): Promise<IndexSummary> => {
        const r = await indexSent(ctx);
        return { ...r, total: store.sentCount(accountId) };
      }),
    scan: ({ accountId, apply = false, automatic = false, listFlagged = false }) => {
      accountOf(accountId);
      const summary: ScanSummary = { runId: store.startRun(accountId, "scan"), accountId, scanned: 0, candidates: 0, counts: emptyCounts(), moved: 0, unchangedFolders: [], errors: [], bytesFetched: 0, warnings: [], flagged: [], alarm: null };
      const itemIds: number[] = [];
      const messageErrors: MessageError[] = [];
      let moveRun: number | null = null;
      // A server that drops one connection when another logs in: after a loss with a second connection open, use one.
      let lostWithReadAhead = false;
      return withSession(accountId, async (ctx, attempt): Promise<ScanSummary> => {
        const before = ctx.session.bytesRead();
        let start: ScanStart | null = null;
        try {
          const warnings = await settleJournal(ctx);
          const folders = scanFoldersOf(ctx.account.scanFolders, await ctx.session.folders());
          // After the journal is settled (its moves change the folders), before Sent is indexed.
          start = await startScan(ctx, folders, { readAhead: !lostWithReadAhead });
          const ahead = start.readAhead;
          const indexed = await indexSent(ctx);
          const lookup = store.lookup(accountId, ctx.account.trustedIdPatterns);
          const errors: MessageError[] = [];
          for (const folder of folders) {
            // Counts arrive chunk by chunk as they are committed, so a reconnect neither loses nor doubles them.
            const r = await scanFolderOrSay(ctx, folder, lookup, (chunk) => {
              itemIds.push(...chunk.itemIds);
              summary.scanned += chunk.scanned;
              summary.candidates += chunk.candidates;
              messageErrors.push(...chunk.errors);
              for (const [k, n] of Object.entries(chunk.counts)) summary.counts[k as VerdictKind] += n;
            }, { status: start.statuses.get(folder), searchFirst: start.searchFirst.get(folder), readAhead: ahead?.folder === folder ? ahead : null });
            if (ahead?.folder === folder) await ahead.close();
            if (r.unchanged && !summary.unchangedFolders.includes(folder)) summary.unchangedFolders.push(folder);
            errors.push(...r.errors);
          }
          summary.warnings = [...warnings, ...indexed.warnings];
          if (apply || automatic) {
            const toMove = store.itemsWith(accountId, "backscatter", "flagged").filter((i) => !automatic || i.confidence === "high");
            if (toMove.length > 0 || moveRun !== null) {
              moveRun ??= store.startRun(accountId, "move");
              const moved = await moveItems(ctx, moveRun, toMove);
              summary.moved = moved.moved;
              errors.push(...moved.failed);
              summary.warnings.push(...moved.warnings);
            }
          }
          summary.errors = [...messageErrors, ...errors];
          summary.warnings.push(...attempt.reconnects);
          if (listFlagged) summary.flagged = store.itemsById([...new Set(itemIds)]);
          summary.alarm = misuseAlarm(store.itemsWith(accountId, "account-misuse", "flagged"), ctx.account.host);
          store.finishRun(summary.runId, { scanned: summary.scanned, counts: summary.counts, moved: summary.moved, errors: summary.errors.length });
          return summary;
        } catch (error) {
          lostWithReadAhead ||= start?.readAhead != null;
          throw error;
        } finally {
          await start?.readAhead?.close();
          summary.bytesFetched += ctx.session.bytesRead() - before + (start?.readAhead?.bytes() ?? 0);
        }
      });
    },
    review: async ({ accountId, verdicts }) => store.items(accountId).filter((i) => !verdicts || verdicts.includes(i.verdict)),
    move: ({ accountId, itemIds }) => {
      accountOf(accountId);
      let runId: number | null = null;
      return withSession(accountId, async (ctx, attempt) => {
        runId ??= store.startRun(accountId, "move");
        const chosen = itemIds ? store.itemsById(itemIds).filter((i) => i.state === "flagged") : store.itemsWith(accountId, "backscatter", "flagged");
        // The proof that the account sends spam stays where the user will see it, even when picked by hand.
        const items = chosen.filter((i) => i.verdict !== "account-misuse");
        const kept = chosen.length - items.length;
        const r = await moveItems(ctx, runId, items);
        const proof = kept > 0 ? [`${kept === 1 ? "1 message shows" : `${kept} messages show`} that mail left through your own account; ${kept === 1 ? "it stays" : "they stay"} in your inbox as the proof.`] : [];
        return { ...r, warnings: [...r.warnings, ...proof, ...attempt.reconnects] };
      });
    },
    undo: ({ accountId, runId, itemIds, all = false }) => {
      accountOf(accountId);
      // What to put back is decided once, before the first attempt: a rerun after a reconnect must not pick another run.
      const targetRun = runId ?? store.lastRun(accountId, "move");
      const fromRun = targetRun === null ? [] : store.journalOfRun(targetRun).filter((j) => j.state === "done").map((j) => j.itemId);
      const chosen = all ? store.itemsWithState(accountId, "moved").map((i) => i.id) : [...new Set(itemIds ?? fromRun)];
      const undoRun = store.startRun(accountId, "undo");
      return withSession(accountId, async (ctx, attempt): Promise<UndoSummary> => {
        const warnings = await settleJournal(ctx);
        const items = store.itemsById(chosen).filter((i) => i.accountId === accountId && i.state === "moved" && i.destFolder !== null && i.destUid !== null);
        const requests: MoveRequest[] = [];
        for (const item of items) {
          const status = await ctx.session.status(item.destFolder ?? "");
          if (status) requests.push({ item, srcFolder: item.destFolder ?? "", srcUidvalidity: status.uidValidity, srcUid: item.destUid ?? 0, destFolder: item.folder });
        }
        const out = await runMoves(ctx, undoRun, "undo", requests, (r, destUid, destUidvalidity) => store.relocateItem(r.item.id, r.destFolder, destUidvalidity, destUid ?? 0, "restored"), deps.fault);
        const restored = doneIn(undoRun);
        store.finishRun(undoRun, { restored, failed: out.failed.length });
        return { runId: undoRun, restored, failed: out.failed, warnings: [...warnings, ...out.warnings, ...attempt.reconnects] };
      });
    },
    /** "Not backscatter": a moved item goes back first; then it is never flagged again. */
    async keep({ itemId, rule }) {
      const item = store.item(itemId);
      if (!item) throw new Error(`There is no item ${itemId}.`);
      if (item.state === "moved") {
        const back = await api.undo({ accountId: item.accountId, itemIds: [itemId] });
        const failure = back.failed[0];
        if (failure) throw new Error(`It could not be put back, so it was not marked: ${failure.error}`);
      }
      const now = store.item(itemId) ?? item;
      store.setItemState(itemId, "kept", null, null);
      if (rule) for (const r of now.recipients) store.addAllowRule(now.accountId, rule === "domain" ? `@${r.split("@")[1] ?? r}` : r);
      return store.item(itemId) as Item;
    },
    async status({ accountId }): Promise<AccountStatus> {
      const account = accountOf(accountId);
      const counts: Partial<Record<VerdictKind, number>> = {};
      let moved = 0;
      let toReview = 0;
      for (const { verdict, state, n } of store.itemCounts(accountId)) {
        counts[verdict] = (counts[verdict] ?? 0) + n;
        if (state === "moved") moved += n;
        if (state === "flagged" && verdict !== "legit") toReview += n;
      }
      const misuse = misuseAlarm(store.itemsWith(accountId, "account-misuse", "flagged"), account.host);
      return { account, sentIndexed: store.sentCount(accountId), counts, moved, toReview, misuse };
    },
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
      const account = accountId === undefined ? null : accountOf(accountId);
      // The selectors of the mail the user sends now; the check goes on from what is known when the server cannot be reached.
      if (account) await withSession(account.id, learnSentSignatures).catch(() => undefined);
      return doctorFor(store, dns, account, domain ?? null);
    },
    campaigns: async ({ accountId }) => {
      accountOf(accountId);
      const campaigns = campaignsFor(store, accountId, now());
      return { campaigns, line: floodLine(campaigns) };
    },
  };
  return { ...api, store };
}
