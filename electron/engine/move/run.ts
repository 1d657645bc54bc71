/**
 * The move operations: move, undo and "not backscatter". Each settles the journal once, at its
 * start (a crash of an earlier run is finished or rolled back first), then moves through
 * journal.ts, which keeps each item's state with its journal entry.
 */
import type { CoreApi } from "../../../shared/api.js";
import type { Item, MoveSummary, UndoSummary } from "../../../shared/model.js";
import type { OperationContext } from "../context.js";
import { destinationPath } from "../imap/folders.js";
import type { OperationRunner } from "../operations.js";
import type { StorePort } from "../ports.js";
import { reconcile, runMoves, type FaultHook, type MoveRequest } from "./journal.js";

export interface MoveDeps {
  store: StorePort;
  withSession: OperationRunner["withSession"];
  /** Test seam: a crash between journal steps. */
  fault?: FaultHook;
}

/** Finishes or rolls back what a crash left in the journal; the warnings say what could not be. */
export async function settleJournal(ctx: OperationContext): Promise<string[]> {
  return (await reconcile(ctx)).warnings;
}

async function ensureDestination(ctx: OperationContext): Promise<string> {
  const dest = destinationPath(ctx.account.destination, await ctx.session.folders(), ctx.session.namespace());
  if (!dest.exists) await ctx.session.createFolder(dest.path);
  return dest.path;
}

/** Journal entries of a run that ended done: what it moved, across reconnects and reconciles. */
const doneIn = (store: StorePort, runId: number): number => store.journalOfRun(runId).filter((j) => j.state === "done").length;

/**
 * Moves `items` to the destination under the move run `runId` (one run for every attempt of an
 * operation). The journal must be settled already: the caller did, at its start.
 */
export async function moveItems(ctx: OperationContext, runId: number, items: readonly Item[], fault?: FaultHook): Promise<MoveSummary> {
  const { store } = ctx;
  const dest = await ensureDestination(ctx);
  const requests: MoveRequest[] = [];
  for (const item of items) {
    const uidvalidity = store.itemUidvalidity(item.id);
    if (uidvalidity !== null) requests.push({ item, srcFolder: item.folder, srcUidvalidity: uidvalidity, srcUid: item.uid, destFolder: dest });
  }
  const out = await runMoves(ctx, runId, "move", requests, fault);
  const summary: MoveSummary = { runId, moved: doneIn(store, runId), failed: out.failed, warnings: out.warnings };
  store.finishRun(runId, { moved: summary.moved, failed: out.failed.length });
  return summary;
}

/** The move, undo and keep handlers of the engine's API. */
export function moveHandlers({ store, withSession, fault }: MoveDeps): Pick<CoreApi, "move" | "undo" | "keep"> {
  const handlers: Pick<CoreApi, "move" | "undo" | "keep"> = {
    move({ accountId, itemIds }) {
      let runId: number | null = null;
      return withSession(accountId, async (ctx, attempt) => {
        const settled = await settleJournal(ctx);
        runId ??= store.startRun(accountId, "move");
        const chosen = itemIds ? store.itemsById(itemIds).filter((i) => i.state === "flagged") : store.itemsWith(accountId, "backscatter", "flagged");
        // The proof that the account sends spam stays where the user will see it, even when picked by hand.
        const items = chosen.filter((i) => i.verdict !== "account-misuse");
        const kept = chosen.length - items.length;
        const r = await moveItems(ctx, runId, items, fault);
        const proof =
          kept > 0
            ? [
                `${kept === 1 ? "1 message shows" : `${kept} messages show`} that mail left through your own account; ${kept === 1 ? "it stays" : "they stay"} in your inbox as the proof.`,
              ]
            : [];
        return { ...r, warnings: [...settled, ...r.warnings, ...proof, ...attempt.reconnects] };
      });
    },

    undo({ accountId, runId, itemIds, all = false }) {
      // What to put back is decided once, before the first attempt: a rerun after a reconnect must not pick another run.
      const targetRun = runId ?? store.lastRun(accountId, "move");
      const fromRun =
        targetRun === null
          ? []
          : store
              .journalOfRun(targetRun)
              .filter((j) => j.state === "done")
              .map((j) => j.itemId);
      const chosen = all ? store.itemsWithState(accountId, "moved").map((i) => i.id) : [...new Set(itemIds ?? fromRun)];
      const undoRun = store.startRun(accountId, "undo");
      return withSession(accountId, async (ctx, attempt): Promise<UndoSummary> => {
        const settled = await settleJournal(ctx);
        const items = store.itemsById(chosen).filter((i) => i.accountId === accountId && i.state === "moved" && i.destFolder !== null && i.destUid !== null);
        const requests: MoveRequest[] = [];
        for (const item of items) {
          const status = await ctx.session.status(item.destFolder ?? "");
          if (status)
            requests.push({ item, srcFolder: item.destFolder ?? "", srcUidvalidity: status.uidValidity, srcUid: item.destUid ?? 0, destFolder: item.folder });
        }
        const out = await runMoves(ctx, undoRun, "undo", requests, fault);
        const restored = doneIn(store, undoRun);
        store.finishRun(undoRun, { restored, failed: out.failed.length });
        return { runId: undoRun, restored, failed: out.failed, warnings: [...settled, ...out.warnings, ...attempt.reconnects] };
      });
    },

    /** "Not backscatter": a moved item goes back first; then it is never flagged again. */
    async keep({ itemId, rule }) {
      const item = store.item(itemId);
      if (!item) throw new Error(`There is no item ${itemId}.`);
      if (item.state === "moved") {
        const back = await handlers.undo({ accountId: item.accountId, itemIds: [itemId] });
        const failure = back.failed[0];
        if (failure) throw new Error(`It could not be put back, so it was not marked: ${failure.error}`);
      }
      const now = store.item(itemId) ?? item;
      store.setItemState(itemId, "kept", null, null);
      if (rule) for (const r of now.recipients) store.addAllowRule(now.accountId, rule === "domain" ? `@${r.split("@")[1] ?? r}` : r);
      return store.item(itemId) as Item;
    },
  };
  return handlers;
}
