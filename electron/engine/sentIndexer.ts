/**
 * The sent index: Message-IDs, dates, recipients and the user's own From addresses of every
 * message in the sending folders. Incremental per folder by UIDVALIDITY and last UID; a folder
 * whose STATUS has not changed is not opened. Rows are never deleted when a Sent copy goes.
 */
import { normaliseMessageId } from "../../shared/messageId.js";
import type { OperationContext } from "./context.js";
import { checkCancelled, uidChunks } from "./context.js";
import { resumeAfter, unchangedSince } from "./checkpoint.js";
import type { SentRow } from "./ports.js";
import { findSentFolders } from "./imap/folders.js";

/** UIDs per FETCH of a sent folder: a small chunk's envelopes die young instead of reaching the old generation. */
export const SENT_CHUNK = 250;

/**
 * UIDs of a sent folder stored per transaction, with the checkpoint: Message-IDs are random keys,
 * so each commit rewrites pages all over the index; fewer, larger commits write half as much. A
 * reconnect fetches at most these again.
 */
export const SENT_COMMIT_UIDS = 2_000;

export interface IndexResult {
  folders: string[];
  added: number;
  unchanged: string[];
  warnings: string[];
}

/** The folders to index: the user's choice, else those found on the server. */
export async function sentFoldersOf(ctx: OperationContext): Promise<string[]> {
  if (ctx.account.sentFolders.length > 0) return ctx.account.sentFolders;
  return findSentFolders(await ctx.session.folders());
}

export async function indexSent(ctx: OperationContext): Promise<IndexResult> {
  const { session, store, account } = ctx;
  const result: IndexResult = { folders: await sentFoldersOf(ctx), added: 0, unchanged: [], warnings: [] };
  if (result.folders.length === 0) result.warnings.push("No sent-mail folder was found. Choose one in the settings, or every reply will look unverifiable.");
  for (const folder of result.folders) {
    checkCancelled(ctx.signal);
    const status = await session.status(folder);
    if (!status) {
      result.warnings.push(`The sent folder ${folder} no longer exists; what was indexed from it is kept.`);
      continue;
    }
    const state = store.checkpoint(account.id, folder, "sent");
    if (unchangedSince(state, status)) {
      result.unchanged.push(folder);
      continue;
    }
    const lastUid = resumeAfter(state, status.uidValidity);
    let maxUid = lastUid;
    await session.inFolder(folder, async (open) => {
      const chunks = uidChunks(lastUid + 1, Math.max(lastUid + 1, open.uidNext - 1), SENT_CHUNK);
      let done = 0;
      let fetchedUid = lastUid;
      let sent: SentRow[] = [];
      for (const [i, range] of chunks.entries()) {
        checkCancelled(ctx.signal);
        const rows = (await session.envelopes(range, { flags: false })).filter((r) => r.uid > lastUid);
        for (const r of rows) {
          fetchedUid = Math.max(fetchedUid, r.uid);
          const id = r.messageId ? normaliseMessageId(r.messageId) : null;
          if (id) sent.push({ messageId: id, date: r.date, subject: r.subject, folder, recipients: r.to, from: r.from });
        }
        done += rows.length;
        if (fetchedUid - maxUid >= SENT_COMMIT_UIDS || i === chunks.length - 1) {
          maxUid = fetchedUid;
          // The rows and their checkpoint together (uidnext 0: not finished), so a reconnect goes on from here.
          store.batch(() => {
            store.addSent(account.id, sent);
            store.setCheckpoint(account.id, folder, "sent", {
              uidValidity: status.uidValidity,
              lastUid: maxUid,
              uidNext: 0,
              messages: status.messages,
              highestModseq: null,
            });
          });
          result.added += sent.length;
          sent = [];
        }
        ctx.progress({ phase: "index", done, total: open.messages, folder });
      }
    });
    store.setCheckpoint(account.id, folder, "sent", {
      uidValidity: status.uidValidity,
      lastUid: maxUid,
      uidNext: status.uidNext,
      messages: status.messages,
      highestModseq: status.highestModseq,
    });
  }
  return result;
}
