/**
 * Gmail's labels across a move and its undo. Gmail shows labels as folders: a MOVE takes the
 * source's label off and puts the destination's on, and keeps the rest. Before moving, the app
 * records each message's labels (X-GM-LABELS); after an undo it gives back any the message lacks
 * then, so a message comes back as it was even where a label was lost on the way.
 */
import type { OperationContext } from "../context.js";

/** Labels to give back: those it had that it lacks now, but the destination's own (the undo took it off on purpose). */
export function labelsToRestore(had: readonly string[], has: readonly string[], destinationLabel: string): string[] {
  const now = new Set(has.map((l) => l.toLowerCase()));
  return had.filter((l) => !now.has(l.toLowerCase()) && l.toLowerCase() !== destinationLabel.toLowerCase());
}

/** Records the labels of `uids` (in the open `folder`) on their items, before they are moved. */
export async function recordLabels(ctx: OperationContext, items: ReadonlyMap<number, number>): Promise<void> {
  if (!ctx.session.has("X-GM-EXT-1") || items.size === 0) return;
  const labels = await ctx.session.labels([...items.keys()]);
  ctx.store.batch(() => {
    for (const [uid, itemId] of items) ctx.store.setItemLabels(itemId, labels.get(uid) ?? []);
  });
}

/** After an undo: gives each restored message (item → its UID in `folder`) the recorded labels it lacks, but `from`'s. */
export async function restoreLabels(ctx: OperationContext, folder: string, from: string, restored: ReadonlyMap<number, number>): Promise<void> {
  if (!ctx.session.has("X-GM-EXT-1") || restored.size === 0) return;
  await ctx.session.inFolder(folder, async () => {
    const now = await ctx.session.labels([...restored.values()]);
    for (const [itemId, uid] of restored) {
      const missing = labelsToRestore(ctx.store.itemLabels(itemId) ?? [], now.get(uid) ?? [], from);
      if (missing.length > 0) await ctx.session.addLabels([uid], missing);
    }
  });
}
