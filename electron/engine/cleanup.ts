/**
 * The one exception to "never delete", off unless the user turns it on: messages the app itself
 * moved to the destination more than N days ago may be deleted, after the user confirms the
 * count. Each is checked first (same UID, same Message-ID, not already gone), then exactly those
 * UIDs are flagged \Deleted and removed with UID EXPUNGE. A server without UIDPLUS gets nothing
 * deleted: its plain EXPUNGE would take every \Deleted message in the folder with it.
 */
import type { CleanupPreview, CleanupResult } from "../../shared/api.js";
import { normaliseMessageId } from "../../shared/messageId.js";
import type { OperationContext } from "./context.js";
import { ImapError } from "./imap/errors.js";
import { destinationPath } from "./imap/folders.js";
import { MAX_SET_CHARS, uidBatches, uidSet } from "./imap/uidSet.js";
import { BATCH } from "./move/journal.js";

const DAY = 86_400_000;

async function destination(ctx: OperationContext): Promise<{ path: string; exists: boolean }> {
  return destinationPath(ctx.account.destination, await ctx.session.folders(), ctx.session.namespace());
}

/** What a clean-up would delete now, with the folder's size and the account's quota where the server says. */
export async function previewCleanup(ctx: OperationContext, now: number): Promise<CleanupPreview> {
  const dest = await destination(ctx);
  const days = ctx.account.cleanupDays;
  const out: CleanupPreview = { folder: dest.path, days, candidates: 0, messages: 0, bytes: 0, quota: null };
  if (!dest.exists) return out;
  const status = await ctx.session.status(dest.path);
  out.messages = status?.messages ?? 0;
  out.bytes = await ctx.session.inFolder(dest.path, () => ctx.session.folderBytes());
  out.quota = await ctx.session.quota(dest.path);
  if (days !== null) out.candidates = ctx.store.cleanupCandidates(ctx.account.id, dest.path, now - days * DAY).length;
  return out;
}

export async function runCleanup(ctx: OperationContext, now: number): Promise<CleanupResult> {
  const days = ctx.account.cleanupDays;
  if (days === null) throw new Error("Clean-up is off for this account: nothing was deleted. Turn it on in the settings first.");
  if (!ctx.session.has("UIDPLUS"))
    throw new ImapError(
      "protocol",
      "This server cannot delete single messages (it lacks UIDPLUS), and deleting there could take other messages marked for deletion with them, so nothing was deleted.",
    );
  const dest = await destination(ctx);
  if (!dest.exists) return { deleted: 0, skipped: 0, folder: dest.path };
  const candidates = ctx.store.cleanupCandidates(ctx.account.id, dest.path, now - days * DAY);
  if (candidates.length === 0) return { deleted: 0, skipped: 0, folder: dest.path };
  const verified: typeof candidates = [];
  const gone: typeof candidates = [];
  await ctx.session.inFolder(dest.path, async () => {
    for (const batch of uidBatches(candidates, (c) => c.destUid, { maxCount: BATCH, maxChars: MAX_SET_CHARS })) {
      const rows = new Map((await ctx.session.envelopes(uidSet(batch.map((c) => c.destUid)))).map((r) => [r.uid, r]));
      // Only what is still the message we moved there: another program may have changed the folder since.
      const same = batch.filter((c) => {
        const row = rows.get(c.destUid);
        return row && !row.flags.has("\\Deleted") && c.messageId !== null && normaliseMessageId(row.messageId ?? "") === c.messageId;
      });
      // Already gone (deleted or moved elsewhere by another program): nothing to delete, nothing left to track.
      gone.push(...batch.filter((c) => !rows.has(c.destUid)));
      if (same.length > 0) {
        const uids = same.map((c) => c.destUid);
        await ctx.session.flagDeleted(uids);
        await ctx.session.expungeExactly(uids);
        verified.push(...same);
      }
    }
  });
  ctx.store.recordCleanup(
    ctx.account.id,
    dest.path,
    days,
    verified.map((c) => c.itemId),
    gone.map((c) => c.itemId),
  );
  return { deleted: verified.length, skipped: candidates.length - verified.length, folder: dest.path };
}
