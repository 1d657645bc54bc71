/**
 * The scan operation: settle the journal, start the scan (STATUS, first pass, the read-ahead
 * worker) before indexing Sent so the worker reads meanwhile, scan each folder, close the
 * read-ahead, then move what `apply` or `automatic` asks for. Counts arrive chunk by chunk as they
 * are committed, so a reconnect neither loses nor doubles them.
 */
import type { CoreApi } from "../../../shared/api.js";
import { misuseAlarm } from "../../../shared/misuse.js";
import type { MessageError, ScanSummary, VerdictKind } from "../../../shared/model.js";
import { VERDICT_KINDS } from "../../../shared/model.js";
import type { OperationContext } from "../context.js";
import type { FaultHook } from "../move/journal.js";
import { moveItems, settleJournal } from "../move/run.js";
import type { OperationRunner } from "../operations.js";
import type { StorePort } from "../ports.js";
import { indexSent } from "../sentIndexer.js";
import { scanFoldersOf } from "../imap/folders.js";
import { scanFolderOrSay, startScan, type ChunkScan, type ScanStart } from "./folder.js";

export interface ScanDeps {
  store: StorePort;
  withSession: OperationRunner["withSession"];
  fault?: FaultHook;
}

function emptyCounts(): Record<VerdictKind, number> {
  return Object.fromEntries(VERDICT_KINDS.map((k) => [k, 0])) as Record<VerdictKind, number>;
}

/** What a scan keeps across its attempts (a reconnect runs the attempt again). */
interface ScanState {
  summary: ScanSummary;
  itemIds: number[];
  messageErrors: MessageError[];
  moveRun: number | null;
  /** A server that drops one connection when another logs in: after a loss with a second connection open, use one. */
  lostWithReadAhead: boolean;
}

function addChunk(state: ScanState, chunk: ChunkScan): void {
  state.itemIds.push(...chunk.itemIds);
  state.summary.scanned += chunk.scanned;
  state.summary.candidates += chunk.candidates;
  state.messageErrors.push(...chunk.errors);
  for (const [k, n] of Object.entries(chunk.counts)) state.summary.counts[k as VerdictKind] += n;
}

/** Scans every folder of `folders` from `start`, closing the read-ahead once its folder is done; the folders' own errors. */
async function scanFolders(ctx: OperationContext, folders: readonly string[], start: ScanStart, state: ScanState): Promise<MessageError[]> {
  const lookup = ctx.store.lookup(ctx.account.id, ctx.account.trustedIdPatterns);
  const ahead = start.readAhead;
  const errors: MessageError[] = [];
  for (const folder of folders) {
    const r = await scanFolderOrSay(ctx, folder, lookup, (chunk) => addChunk(state, chunk), {
      status: start.statuses.get(folder),
      searchFirst: start.searchFirst.get(folder),
      readAhead: ahead?.folder === folder ? ahead : null,
    });
    if (ahead?.folder === folder) await ahead.close();
    if (r.unchanged && !state.summary.unchangedFolders.includes(folder)) state.summary.unchangedFolders.push(folder);
    errors.push(...r.errors);
  }
  return errors;
}

/** The scan handler of the engine's API. */
export function scanHandler({ store, withSession, fault }: ScanDeps): CoreApi["scan"] {
  return ({ accountId, apply = false, automatic = false, listFlagged = false }) => {
    if (!store.account(accountId)) return Promise.reject(new Error(`There is no account ${accountId}.`));
    const summary: ScanSummary = {
      runId: store.startRun(accountId, "scan"),
      accountId,
      scanned: 0,
      candidates: 0,
      counts: emptyCounts(),
      moved: 0,
      unchangedFolders: [],
      errors: [],
      bytesFetched: 0,
      warnings: [],
      flagged: [],
      alarm: null,
    };
    const state: ScanState = { summary, itemIds: [], messageErrors: [], moveRun: null, lostWithReadAhead: false };
    return withSession(accountId, async (ctx, attempt): Promise<ScanSummary> => {
      const before = ctx.session.bytesRead();
      let start: ScanStart | null = null;
      try {
        const settled = await settleJournal(ctx);
        const { scan: folders, aggregates } = scanFoldersOf(ctx.account.scanFolders, await ctx.session.folders());
        // After the journal is settled (its moves change the folders), before Sent is indexed.
        start = await startScan(ctx, folders, { readAhead: !state.lostWithReadAhead });
        const indexed = await indexSent(ctx);
        const errors = await scanFolders(ctx, folders, start, state);
        summary.warnings = [
          ...settled,
          ...indexed.warnings,
          ...aggregates.map((f) => `${f} is not scanned: it shows messages kept in your other folders (labels), not mail that arrived there.`),
        ];
        if (apply || automatic) {
          const toMove = store.itemsWith(accountId, "backscatter", "flagged").filter((i) => !automatic || i.confidence === "high");
          if (toMove.length > 0 || state.moveRun !== null) {
            state.moveRun ??= store.startRun(accountId, "move");
            const moved = await moveItems(ctx, state.moveRun, toMove, fault);
            summary.moved = moved.moved;
            errors.push(...moved.failed);
            summary.warnings.push(...moved.warnings);
          }
        }
        summary.errors = [...state.messageErrors, ...errors];
        summary.warnings.push(...attempt.reconnects);
        if (listFlagged) summary.flagged = store.itemsById([...new Set(state.itemIds)]);
        summary.alarm = misuseAlarm(store.itemsWith(accountId, "account-misuse", "flagged"), ctx.account.host);
        store.finishRun(summary.runId, { scanned: summary.scanned, counts: summary.counts, moved: summary.moved, errors: summary.errors.length });
        return summary;
      } catch (error) {
        state.lostWithReadAhead ||= start?.readAhead != null;
        throw error;
      } finally {
        await start?.readAhead?.close();
        summary.bytesFetched += ctx.session.bytesRead() - before + (start?.readAhead?.bytes() ?? 0);
        ctx.budget.record(start?.readAhead?.bytes() ?? 0);
      }
    });
  };
}
