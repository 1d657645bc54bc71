/** The items: every automated message a scan stored, with its verdict and where it is now (flagged, moved, kept, restored). */
import type { Item, ItemState, VerdictKind } from "../../../shared/model.js";
import type { ItemRow } from "../ports.js";
import type { Db } from "./open.js";

interface ItemRecord {
  id: number;
  account_id: number;
  folder: string;
  uid: number;
  message_id: string | null;
  date: string | null;
  subject: string | null;
  from_address: string | null;
  kind: Item["kind"];
  verdict: VerdictKind;
  confidence: Item["confidence"];
  reason: string;
  evidence: string;
  original_ids: string;
  recipients: string;
  original_subject: string | null;
  reporting_mta: string | null;
  origin_ip: string | null;
  state: ItemState;
  dest_folder: string | null;
  dest_uid: number | null;
}

const toItem = (r: ItemRecord): Item => ({
  id: r.id,
  accountId: r.account_id,
  folder: r.folder,
  uid: r.uid,
  destFolder: r.dest_folder,
  destUid: r.dest_uid,
  messageId: r.message_id,
  date: r.date,
  subject: r.subject,
  from: r.from_address,
  kind: r.kind,
  verdict: r.verdict,
  confidence: r.confidence,
  reason: r.reason,
  evidence: JSON.parse(r.evidence) as string[],
  originalMessageIds: JSON.parse(r.original_ids) as string[],
  recipients: JSON.parse(r.recipients) as string[],
  originalSubject: r.original_subject,
  reportingMta: r.reporting_mta,
  originIp: r.origin_ip,
  state: r.state,
});

export function createItems(db: Db, now: () => number) {
  const q = {
    upsertItem:
      db.prepare(`INSERT INTO item (account_id, folder, uidvalidity, uid, message_id, date, subject, from_address, kind, format, verdict, confidence, reason,
        evidence, original_ids, recipients, original_subject, reporting_mta, origin_ip, gmail_id, scanned_at)
      VALUES (@accountId, @folder, @uidvalidity, @uid, @messageId, @date, @subject, @from, @kind, @format, @verdict, @confidence, @reason,
        @evidence, @originalIds, @recipients, @originalSubject, @reportingMta, @originIp, @gmailId, @now)
      ON CONFLICT (account_id, folder, uidvalidity, uid) DO UPDATE SET verdict = excluded.verdict, confidence = excluded.confidence,
        reason = excluded.reason, evidence = excluded.evidence, scanned_at = excluded.scanned_at
      WHERE item.state = 'flagged'
      RETURNING id`),
    items: db.prepare<[number], ItemRecord>("SELECT * FROM item WHERE account_id = ? ORDER BY id"),
    itemsInState: db.prepare<[number, string], ItemRecord>("SELECT * FROM item WHERE account_id = ? AND state = ? ORDER BY id"),
    itemsWith: db.prepare<[number, string, string], ItemRecord>("SELECT * FROM item WHERE account_id = ? AND verdict = ? AND state = ? ORDER BY id"),
    itemCounts: db.prepare<[number], { verdict: VerdictKind; state: ItemState; n: number }>(
      "SELECT verdict, state, count(*) AS n FROM item WHERE account_id = ? GROUP BY verdict, state",
    ),
    item: db.prepare<[number], ItemRecord>("SELECT * FROM item WHERE id = ?"),
    itemUidvalidity: db.prepare<[number], { uidvalidity: number }>("SELECT uidvalidity FROM item WHERE id = ?"),
    dropStale: db.prepare("DELETE FROM item WHERE account_id = ? AND folder = ? AND uidvalidity <> ? AND state = 'flagged'"),
    forget: db.prepare("DELETE FROM item WHERE id = ? AND state = 'flagged'"),
    itemAt: db.prepare<[number, string, number], ItemRecord>("SELECT * FROM item WHERE account_id = ? AND folder = ? AND uid = ? ORDER BY id DESC LIMIT 1"),
    setItemState: db.prepare("UPDATE item SET state = @state, dest_folder = @destFolder, dest_uid = @destUid WHERE id = @id"),
    setItemLabels: db.prepare<[string, number]>("UPDATE item SET labels = ? WHERE id = ?"),
    itemLabels: db.prepare<[number], { labels: string | null }>("SELECT labels FROM item WHERE id = ?"),
    gmailIdElsewhere: db.prepare<[number, string, string], { id: number }>("SELECT id FROM item WHERE account_id = ? AND gmail_id = ? AND folder <> ? LIMIT 1"),
    relocateItem: db.prepare(
      "UPDATE item SET folder = @folder, uidvalidity = @uidvalidity, uid = @uid, state = @state, dest_folder = NULL, dest_uid = NULL WHERE id = @id",
    ),
  };
  return {
    /** Stores a verdict; returns the item id. An item the user already acted on keeps its state. */
    saveItem(row: ItemRow): number | null {
      const r = q.upsertItem.get({
        accountId: row.accountId,
        folder: row.folder,
        uidvalidity: row.uidvalidity,
        uid: row.uid,
        messageId: row.messageId,
        date: row.date,
        subject: row.subject,
        from: row.from,
        kind: row.report.kind,
        format: row.report.format,
        verdict: row.verdict.verdict,
        confidence: row.verdict.confidence,
        reason: row.verdict.reason,
        evidence: JSON.stringify(row.verdict.evidence),
        originalIds: JSON.stringify(row.report.references.map((x) => x.messageId)),
        recipients: JSON.stringify(row.report.recipients.map((x) => x.address)),
        originalSubject: row.report.original.subject,
        reportingMta: row.report.reportingMta,
        originIp: row.originIp ?? null,
        gmailId: row.gmailId ?? null,
        now: now(),
      }) as { id: number } | undefined;
      return r?.id ?? null;
    },
    items: (accountId: number): Item[] => q.items.all(accountId).map(toItem),
    /** Items of one verdict in one state, e.g. the backscatter still in the inbox. */
    itemsWith: (accountId: number, verdict: VerdictKind, state: ItemState): Item[] => q.itemsWith.all(accountId, verdict, state).map(toItem),
    /** Every item in one state, e.g. all that are moved. */
    itemsWithState: (accountId: number, state: ItemState): Item[] => q.itemsInState.all(accountId, state).map(toItem),
    /** The given items, in the order given; ids that do not exist are left out. */
    itemsById: (ids: readonly number[]): Item[] =>
      ids
        .map((id) => q.item.get(id))
        .filter((r): r is ItemRecord => r !== undefined)
        .map(toItem),
    /** How many items there are of each verdict and state, counted by SQLite. */
    itemCounts: (accountId: number): { verdict: VerdictKind; state: ItemState; n: number }[] => q.itemCounts.all(accountId),
    item(id: number): Item | null {
      const r = q.item.get(id);
      return r ? toItem(r) : null;
    },
    /** After a UIDVALIDITY change: flagged items under the old UIDs are rescanned, so drop them. */
    dropStaleItems: (accountId: number, folder: string, uidvalidity: number): void => void q.dropStale.run(accountId, folder, uidvalidity),
    /** A flagged message that is gone from the server (another program deleted or moved it): nothing left to act on. */
    forgetItem: (id: number): void => void q.forget.run(id),
    itemUidvalidity: (id: number): number | null => q.itemUidvalidity.get(id)?.uidvalidity ?? null,
    itemAt(accountId: number, folder: string, uid: number): Item | null {
      const r = q.itemAt.get(accountId, folder, uid);
      return r ? toItem(r) : null;
    },
    /** Gmail: whether a message with this X-GM-MSGID is already an item from another folder (the same message under another label). */
    gmailIdElsewhere: (accountId: number, gmailId: string, folder: string): boolean => q.gmailIdElsewhere.get(accountId, gmailId, folder) !== undefined,
    /** The labels (Gmail) the message had before the app moved it. */
    setItemLabels(id: number, labels: readonly string[]): void {
      q.setItemLabels.run(JSON.stringify(labels), id);
    },
    itemLabels(id: number): string[] | null {
      const r = q.itemLabels.get(id);
      return r?.labels ? (JSON.parse(r.labels) as string[]) : null;
    },
    setItemState(id: number, state: ItemState, destFolder: string | null = null, destUid: number | null = null): void {
      q.setItemState.run({ id, state, destFolder, destUid });
    },
    /** After an undo the message lives in its old folder again, under a new UID. */
    relocateItem(id: number, folder: string, uidvalidity: number, uid: number, state: ItemState): void {
      q.relocateItem.run({ id, folder, uidvalidity, uid, state });
    },
  };
}
