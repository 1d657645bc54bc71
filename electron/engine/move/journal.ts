/**
 * Moving messages without ever losing or doubling one. Each batch is journalled as planned,
 * then as moving (with the destination's UIDNEXT, where a copy would land), then done. UID MOVE
 * where the server has it; otherwise our own fallback: UID COPY → verify (COPYUID, or the
 * Message-ID found in the destination) → flag \Deleted → UID EXPUNGE of exactly those UIDs, only
 * with UIDPLUS. Without UIDPLUS the originals keep \Deleted and the user is told.
 * {@link reconcile} finishes or rolls back whatever a crash left in the journal.
 */
import { normaliseMessageId } from "../../../shared/messageId.js";
import type { Item, MessageError } from "../../../shared/model.js";
import { checkCancelled, type OperationContext } from "../context.js";
import { ImapError, isTransient } from "../imap/errors.js";
import { MAX_SET_CHARS, uidBatches, uidSet } from "../imap/uidSet.js";
import { recordLabels, restoreLabels } from "./labels.js";

/** Messages per UID MOVE (or COPY). Few and large: a server's cost per command grows with the folder, while the journal covers a batch of any size. */
export const BATCH = 2000;

export type MoveOp = "move" | "undo";

/** An item whose message arrived: moved into the destination, or (undo) back in its folder under a new UID. */
function itemArrived(ctx: OperationContext, op: MoveOp, itemId: number, folder: string, uid: number | null, uidvalidity: number): void {
  if (op === "move") ctx.store.setItemState(itemId, "moved", folder, uid);
  else ctx.store.relocateItem(itemId, folder, uidvalidity, uid ?? 0, "restored");
}

/** Test seam: called at each step between journal writes; throwing there simulates a crash. */
export type FaultPoint = "planned" | "moving" | "commanded" | "copied" | "flagged";
export type FaultHook = (point: FaultPoint) => void;

export interface MoveRequest {
  item: Item;
  srcFolder: string;
  srcUidvalidity: number;
  srcUid: number;
  destFolder: string;
}

export interface MoveOutcome {
  moved: number;
  failed: MessageError[];
  warnings: string[];
}

const NO_UIDPLUS_WARNING =
  "This server cannot remove single messages (it lacks UIDPLUS), so the originals stay where they were, marked as deleted. Your mail program hides them or removes them when it compacts the folder.";

/** Finds, by Message-ID, copies that landed in `folder` at or after UID `from`. */
async function findCopies(ctx: OperationContext, folder: string, from: number, ids: ReadonlyMap<number, string | null>): Promise<Map<number, number>> {
  const wanted = new Map<string, number>();
  for (const [uid, id] of ids) if (id) wanted.set(id, uid);
  const found = new Map<number, number>();
  if (wanted.size === 0) return found;
  await ctx.session.inFolder(folder, async () => {
    for (const row of await ctx.session.envelopes(`${Math.max(1, from)}:*`)) {
      const id = row.messageId ? normaliseMessageId(row.messageId) : null;
      const src = id ? wanted.get(id) : undefined;
      if (src !== undefined && !row.flags.has("\\Deleted") && row.uid >= from) found.set(src, row.uid);
    }
  });
  return found;
}

interface Transfer {
  /** Source UID → destination UID, from COPYUID or found by Message-ID. */
  map: Map<number, number>;
  /** The server's refusal (quota, permissions), which stands for the whole set. */
  refusal: ImapError | null;
  /** Of the UIDs not found at the destination: those still live in the source. */
  stillThere: Set<number>;
}

/** UID MOVE (or COPY) of `uids`, then where each one went, or whether it is still in place. */
async function transferAndVerify(
  ctx: OperationContext,
  to: { srcFolder: string; destFolder: string; destUidnext: number; useMove: boolean },
  uids: readonly number[],
  ids: ReadonlyMap<number, string | null>,
): Promise<Transfer> {
  const { session } = ctx;
  let refusal: ImapError | null = null;
  // A refusal is the server's answer for this batch, not a reason to stop the run.
  const answered = await session
    .inFolder(to.srcFolder, () => (to.useMove ? session.move(uids, to.destFolder) : session.copy(uids, to.destFolder)))
    .catch((error: unknown) => {
      if (isTransient(error) || !(error instanceof ImapError)) throw error;
      refusal = error;
      return null;
    });
  let map = answered ?? new Map<number, number>();
  if (map.size < uids.length) {
    const wanted = new Map([...ids].filter(([uid]) => uids.includes(uid) && !map.has(uid)));
    map = new Map([...map, ...(await findCopies(ctx, to.destFolder, to.destUidnext, wanted))]);
  }
  const unverified = uids.filter((u) => !map.has(u));
  const stillThere = unverified.length > 0 && !refusal ? await liveUids(ctx, to.srcFolder, unverified) : new Set(unverified);
  return { map, refusal, stillThere };
}

/** Which of `uids` are in `folder` and not flagged \Deleted. */
async function liveUids(ctx: OperationContext, folder: string, uids: readonly number[]): Promise<Set<number>> {
  const rows = await ctx.session.inFolder(folder, () => ctx.session.envelopes(uidSet(uids)));
  return new Set(rows.filter((r) => !r.flags.has("\\Deleted")).map((r) => r.uid));
}

/** Removes the verified originals from the source: \Deleted, then UID EXPUNGE of exactly them. */
async function retireOriginals(ctx: OperationContext, folder: string, uids: readonly number[], warnings: string[], fault: FaultHook): Promise<void> {
  if (uids.length === 0) return;
  await ctx.session.inFolder(folder, async () => {
    await ctx.session.flagDeleted(uids);
    fault("flagged");
    if (ctx.session.has("UIDPLUS")) await ctx.session.expungeExactly(uids);
    else if (!warnings.includes(NO_UIDPLUS_WARNING)) warnings.push(NO_UIDPLUS_WARNING);
  });
}

/**
 * Messages no longer where we left them. If one is already at the destination (a move of an
 * earlier run the server finished after that run was cut off, or another program's doing), that
 * is recorded; otherwise it is reported as gone.
 */
async function settleGone(
  ctx: OperationContext,
  op: MoveOp,
  batch: readonly MoveRequest[],
  missing: readonly number[],
  journalIds: readonly number[],
  out: MoveOutcome,
  gone: (i: number) => void,
): Promise<void> {
  const destFolder = batch[0]?.destFolder ?? "";
  await ctx.session.inFolder(destFolder, async (open) => {
    for (const i of missing) {
      const r = batch[i];
      if (!r) continue;
      const there = r.item.messageId ? await ctx.session.findByMessageId(r.item.messageId) : [];
      const destUid = there[there.length - 1];
      if (destUid === undefined) {
        gone(i);
        continue;
      }
      ctx.store.setJournal(journalIds[i] ?? 0, "done", destUid);
      itemArrived(ctx, op, r.item.id, r.destFolder, destUid, open.uidValidity);
      out.moved++;
    }
  });
}

async function moveBatch(ctx: OperationContext, runId: number, op: MoveOp, batch: readonly MoveRequest[], out: MoveOutcome, fault: FaultHook): Promise<void> {
  const { session, store } = ctx;
  const first = batch[0];
  if (!first) return;
  const { srcFolder, destFolder } = first;
  const journalIds = store.planMoves(
    runId,
    op,
    batch.map((r) => ({
      itemId: r.item.id,
      srcFolder: r.srcFolder,
      srcUidvalidity: r.srcUidvalidity,
      srcUid: r.srcUid,
      destFolder: r.destFolder,
      messageId: r.item.messageId,
    })),
  );
  fault("planned");
  const fail = (i: number, error: string): void => {
    const r = batch[i];
    if (!r) return;
    store.setJournal(journalIds[i] ?? 0, "failed", null, error);
    out.failed.push({ folder: r.srcFolder, uid: r.srcUid, error });
  };
  /** Neither where we left it nor where it would go: said once, and the item forgotten (a move only). */
  const gone = (i: number): void => {
    const r = batch[i];
    fail(i, `It is no longer in ${srcFolder}: another mail program moved or deleted it.`);
    if (r && op === "move") store.forgetItem(r.item.id);
  };
  // Only messages still there, unflagged, under the same UIDVALIDITY and Message-ID are moved.
  const live = new Map<number, string | null>();
  const missing: number[] = [];
  await session.inFolder(srcFolder, async (open) => {
    const rows = new Map((await session.envelopes(uidSet(batch.map((r) => r.srcUid)))).map((e) => [e.uid, e]));
    batch.forEach((r, i) => {
      const row = rows.get(r.srcUid);
      const id = row?.messageId ? normaliseMessageId(row.messageId) : null;
      if (open.uidValidity !== r.srcUidvalidity) fail(i, `${srcFolder} was reset by the server (UIDVALIDITY changed); scan again first.`);
      else if (!row || row.flags.has("\\Deleted")) missing.push(i);
      else if (r.item.messageId && id !== r.item.messageId) fail(i, `The message at this place in ${srcFolder} is a different one now; scan again first.`);
      else if (!id && !session.has("MOVE") && !session.has("UIDPLUS"))
        fail(i, "It has no Message-ID, so a copy could not be verified on this server; it was left in place.");
      else live.set(r.srcUid, id);
    });
    if (op === "move") await recordLabels(ctx, new Map(batch.filter((r) => live.has(r.srcUid)).map((r) => [r.srcUid, r.item.id])));
  });
  if (missing.length > 0) await settleGone(ctx, op, batch, missing, journalIds, out, gone);
  if (live.size === 0) return;
  const uids = [...live.keys()];
  const destStatus = await session.status(destFolder);
  if (!destStatus) throw new ImapError("protocol", `The folder ${destFolder} does not exist.`);
  store.batch(() => batch.forEach((r, i) => live.has(r.srcUid) && store.setJournalMoving(journalIds[i] ?? 0, destStatus.uidNext)));
  fault("moving");
  const useMove = session.has("MOVE");
  const transfer = (subset: readonly number[]): Promise<Transfer> =>
    transferAndVerify(ctx, { srcFolder, destFolder, destUidnext: destStatus.uidNext, useMove }, subset, live);
  let { map, refusal, stillThere } = await transfer(uids);
  fault(useMove ? "commanded" : "copied");
  const unverified = uids.filter((u) => !map.has(u));
  if (!refusal && stillThere.size > 0 && stillThere.size < unverified.length) {
    // Some vanished under the command (another program); servers like Dovecot then act on none of
    // the set. Once more with those still there.
    const again = await transfer([...stillThere]);
    map = new Map([...map, ...again.map]);
    ({ refusal, stillThere } = again);
  }
  const verified = uids.filter((u) => map.has(u));
  if (!useMove) await retireOriginals(ctx, srcFolder, verified, out.warnings, fault);
  const why = refusal?.message;
  store.batch(() =>
    batch.forEach((r, i) => {
      if (!live.has(r.srcUid)) return;
      const destUid = map.get(r.srcUid) ?? null;
      // Not found where it went. Only a MOVE the server took without COPYUID, of a message without
      // a Message-ID, cannot be checked; anything else was not moved by us (refused, or another
      // program took it first).
      const unverifiable = useMove && !why && !stillThere.has(r.srcUid) && live.get(r.srcUid) === null;
      if (destUid === null && !unverifiable) {
        if (!stillThere.has(r.srcUid)) gone(i);
        else
          fail(
            i,
            why ??
              (useMove
                ? `The server did not move it, so it is still in ${srcFolder}.`
                : `The copy in ${destFolder} could not be verified, so the original was left in place.`),
          );
        return;
      }
      store.setJournal(journalIds[i] ?? 0, "done", destUid);
      itemArrived(ctx, op, r.item.id, r.destFolder, destUid, destStatus.uidValidity);
      out.moved++;
    }),
  );
  if (op === "undo") {
    const restored = batch.flatMap((r) => (map.has(r.srcUid) ? [[r.item.id, map.get(r.srcUid) ?? 0] as const] : []));
    await restoreLabels(ctx, destFolder, srcFolder, new Map(restored));
  }
}

/**
 * Moves (op "move") or restores (op "undo") the requested messages, in batches, journalled; each
 * item's state follows its journal entry (moved, or restored to its folder under its new UID).
 */
export async function runMoves(
  ctx: OperationContext,
  runId: number,
  op: MoveOp,
  requests: readonly MoveRequest[],
  fault: FaultHook = () => undefined,
): Promise<MoveOutcome> {
  const out: MoveOutcome = { moved: 0, failed: [], warnings: [] };
  const groups = new Map<string, MoveRequest[]>();
  for (const r of requests) {
    const key = `${r.srcFolder}\u0000${r.destFolder}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  let progressed = 0;
  for (const group of groups.values()) {
    for (const batch of uidBatches(group, (r) => r.srcUid, { maxCount: BATCH, maxChars: MAX_SET_CHARS })) {
      checkCancelled(ctx.signal);
      await moveBatch(ctx, runId, op, batch, out, fault);
      progressed += batch.length;
      ctx.progress({ phase: op === "move" ? "move" : "undo", done: progressed, total: requests.length });
    }
  }
  return out;
}

/**
 * Settles journal entries a crash left open. Planned: nothing was sent, so they are dropped.
 * Moving: the copy is looked for by Message-ID where it would have landed; found → the move is
 * finished (original retired); not found → the original is still in place and the entry fails,
 * to be retried by the next run.
 */
export async function reconcile(ctx: OperationContext): Promise<{ finished: number; rolledBack: number; warnings: string[] }> {
  const { session, store } = ctx;
  const result = { finished: 0, rolledBack: 0, warnings: [] as string[] };
  for (const entry of store.openJournal(ctx.account.id)) {
    if (entry.state === "planned" || entry.destUidnext === null) {
      store.setJournal(entry.id, "failed", null, "Interrupted before it started.");
      result.rolledBack++;
      continue;
    }
    const destStatus = await session.status(entry.destFolder);
    const copies = destStatus
      ? await findCopies(ctx, entry.destFolder, entry.destUidnext, new Map([[entry.srcUid, entry.messageId]]))
      : new Map<number, number>();
    const destUid = copies.get(entry.srcUid);
    if (destUid === undefined || !destStatus) {
      store.setJournal(entry.id, "failed", null, "Interrupted; the message is still in its folder and will be moved by the next run.");
      result.rolledBack++;
      continue;
    }
    const stillThere = await session.inFolder(entry.srcFolder, async (open) => {
      if (open.uidValidity !== entry.srcUidvalidity) return false;
      const rows = await session.envelopes(String(entry.srcUid));
      return rows.some((r) => r.uid === entry.srcUid && !r.flags.has("\\Deleted")) || (rows.length > 0 && session.has("UIDPLUS"));
    });
    if (stillThere) await retireOriginals(ctx, entry.srcFolder, [entry.srcUid], result.warnings, () => undefined);
    store.setJournal(entry.id, "done", destUid);
    itemArrived(ctx, entry.op, entry.itemId, entry.destFolder, destUid, destStatus.uidValidity);
    result.finished++;
  }
  return result;
}
