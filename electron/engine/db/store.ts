/**
 * Every SQL statement of the engine, prepared once, behind named functions. Callers never see
 * SQL; a batch is one transaction.
 */
import { messageIdDomain } from "../../../shared/messageId.js";
import type { Item, ItemState, VerdictKind } from "../../../shared/model.js";
import type { Checkpoint, IndexLookup, ItemRow, JournalEntry, SentRow, StorePort } from "../ports.js";
import { createAccounts } from "./accounts.js";
import { createCleanupStore } from "./cleanup.js";
import { createOwnFactsStore } from "./ownFacts.js";
import { createTraits } from "./traits.js";
import { createRuns } from "./runs.js";
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

interface JournalRecord {
  id: number;
  run_id: number;
  item_id: number;
  op: "move" | "undo";
  src_folder: string;
  src_uidvalidity: number;
  src_uid: number;
  dest_folder: string;
  dest_uid: number | null;
  dest_uidnext: number | null;
  message_id: string | null;
  state: JournalEntry["state"];
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

const toJournal = (r: JournalRecord): JournalEntry => ({
  id: r.id,
  runId: r.run_id,
  itemId: r.item_id,
  op: r.op,
  srcFolder: r.src_folder,
  srcUidvalidity: r.src_uidvalidity,
  srcUid: r.src_uid,
  destFolder: r.dest_folder,
  destUid: r.dest_uid,
  destUidnext: r.dest_uidnext,
  messageId: r.message_id,
  state: r.state,
});

/** Between a sent message's recipients in its row (addresses hold no spaces). */
const RECIPIENT_SEPARATOR = " ";

/** Subjects compare without reply/forward prefixes, case and spacing. */
export function subjectKey(subject: string): string {
  return withoutReplyPrefixes(subject).replace(/\s+/g, " ").toLowerCase();
}

/** A subject without its reply and forward prefixes ("Re: Fwd: Plans" → "Plans"). */
export function withoutReplyPrefixes(subject: string): string {
  return subject.replace(/^(?:\s*(?:re|fwd?|aw|wg|sv|tr|rv)\s*(?:\[\d+\])?\s*:\s*)+/i, "").trim();
}


export function createStore(db: Db, now: () => number = Date.now): StorePort {
  const accounts = createAccounts(db, now);
  const runs = createRuns(db);
  const cleanup = createCleanupStore(db, now);
  const own = createOwnFactsStore(db, now);
  const traits = createTraits(db, now);
  const q = {
    folderState: db.prepare<[number, string, string], { uidvalidity: number; last_uid: number; uidnext: number; messages: number; highestmodseq: string | null }>(
      "SELECT uidvalidity, last_uid, uidnext, messages, highestmodseq FROM folder_state WHERE account_id = ? AND folder = ? AND role = ?",
    ),
    setFolderState: db.prepare(`INSERT INTO folder_state (account_id, folder, role, uidvalidity, last_uid, uidnext, messages, highestmodseq)
      VALUES (@accountId, @folder, @role, @uidvalidity, @lastUid, @uidnext, @messages, @highestmodseq)
      ON CONFLICT (account_id, folder, role) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,
        uidnext = excluded.uidnext, messages = excluded.messages, highestmodseq = excluded.highestmodseq`),
    insertSent: db.prepare("INSERT OR IGNORE INTO sent_message (account_id, message_id, date, subject, folder, recipients) VALUES (?, ?, ?, ?, ?, ?)"),
    insertRecipient: db.prepare(`INSERT INTO sent_recipient (account_id, address, last_date) VALUES (?, ?, ?)
      ON CONFLICT (account_id, address) DO UPDATE SET last_date = max(coalesce(last_date, 0), coalesce(excluded.last_date, 0))`),
    insertIdentity: db.prepare("INSERT OR IGNORE INTO identity (account_id, address) VALUES (?, ?)"),
    sentWithSubject: db.prepare<[number, string, number, number], { recipients: string | null }>(
      "SELECT recipients FROM sent_message WHERE account_id = ? AND subject = ? AND date BETWEEN ? AND ?",
    ),
    oldestSent: db.prepare<[number], { oldest: number | null }>("SELECT min(date) AS oldest FROM sent_message WHERE account_id = ?"),
    sentIds: db.prepare<[number], { message_id: string; date: number | null }>("SELECT message_id, date FROM sent_message WHERE account_id = ?"),
    recipients: db.prepare<[number], { address: string }>("SELECT address FROM sent_recipient WHERE account_id = ?"),
    sentCount: db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM sent_message WHERE account_id = ?"),
    allowRules: db.prepare<[number], { pattern: string }>("SELECT pattern FROM allow_rule WHERE account_id = ?"),
    addAllow: db.prepare("INSERT OR IGNORE INTO allow_rule (account_id, pattern) VALUES (?, ?)"),
    upsertItem: db.prepare(`INSERT INTO item (account_id, folder, uidvalidity, uid, message_id, date, subject, from_address, kind, format, verdict, confidence, reason,
        evidence, original_ids, recipients, original_subject, reporting_mta, origin_ip, scanned_at)
      VALUES (@accountId, @folder, @uidvalidity, @uid, @messageId, @date, @subject, @from, @kind, @format, @verdict, @confidence, @reason,
        @evidence, @originalIds, @recipients, @originalSubject, @reportingMta, @originIp, @now)
      ON CONFLICT (account_id, folder, uidvalidity, uid) DO UPDATE SET verdict = excluded.verdict, confidence = excluded.confidence,
        reason = excluded.reason, evidence = excluded.evidence, scanned_at = excluded.scanned_at
      WHERE item.state = 'flagged'
      RETURNING id`),
    items: db.prepare<[number], ItemRecord>("SELECT * FROM item WHERE account_id = ? ORDER BY id"),
    itemsInState: db.prepare<[number, string], ItemRecord>("SELECT * FROM item WHERE account_id = ? AND state = ? ORDER BY id"),
    itemsWith: db.prepare<[number, string, string], ItemRecord>("SELECT * FROM item WHERE account_id = ? AND verdict = ? AND state = ? ORDER BY id"),
    itemCounts: db.prepare<[number], { verdict: VerdictKind; state: ItemState; n: number }>("SELECT verdict, state, count(*) AS n FROM item WHERE account_id = ? GROUP BY verdict, state"),
    item: db.prepare<[number], ItemRecord>("SELECT * FROM item WHERE id = ?"),
    itemUidvalidity: db.prepare<[number], { uidvalidity: number }>("SELECT uidvalidity FROM item WHERE id = ?"),
    dropStale: db.prepare("DELETE FROM item WHERE account_id = ? AND folder = ? AND uidvalidity <> ? AND state = 'flagged'"),
    forget: db.prepare("DELETE FROM item WHERE id = ? AND state = 'flagged'"),
    itemAt: db.prepare<[number, string, number], ItemRecord>("SELECT * FROM item WHERE account_id = ? AND folder = ? AND uid = ? ORDER BY id DESC LIMIT 1"),
    setItemState: db.prepare("UPDATE item SET state = @state, dest_folder = @destFolder, dest_uid = @destUid WHERE id = @id"),
    relocateItem: db.prepare("UPDATE item SET folder = @folder, uidvalidity = @uidvalidity, uid = @uid, state = @state, dest_folder = NULL, dest_uid = NULL WHERE id = @id"),
    insertRun: db.prepare("INSERT INTO run (account_id, kind, started_at) VALUES (?, ?, ?)"),
    finishRun: db.prepare("UPDATE run SET finished_at = ?, summary = ? WHERE id = ?"),
    lastRun: db.prepare<[number, string], { id: number }>("SELECT id FROM run WHERE account_id = ? AND kind = ? ORDER BY id DESC LIMIT 1"),
    insertJournal: db.prepare(`INSERT INTO journal (run_id, item_id, op, src_folder, src_uidvalidity, src_uid, dest_folder, message_id, state, updated_at)
      VALUES (@runId, @itemId, @op, @srcFolder, @srcUidvalidity, @srcUid, @destFolder, @messageId, 'planned', @now)`),
    setJournalMoving: db.prepare("UPDATE journal SET state = 'moving', dest_uidnext = ?, updated_at = ? WHERE id = ?"),
    setJournal: db.prepare("UPDATE journal SET state = @state, dest_uid = coalesce(@destUid, dest_uid), error = @error, updated_at = @now WHERE id = @id"),
    openJournal: db.prepare<[number], JournalRecord>(
      "SELECT j.* FROM journal j JOIN run r ON r.id = j.run_id WHERE r.account_id = ? AND j.state IN ('planned', 'moving') ORDER BY j.id",
    ),
    journalOfRun: db.prepare<[number], JournalRecord>("SELECT * FROM journal WHERE run_id = ? ORDER BY id"),
  };

  /** What classify asks of the index thousands of times per scan, read once into memory. */
  interface IndexSnapshot {
    domains: string[];
    sent: Map<string, number | null>;
    recipients: Set<string>;
  }
  const lookupCache = new Map<number, IndexSnapshot>();
  const addSentTx = db.transaction((accountId: number, rows: readonly SentRow[]) => {
    for (const r of rows) {
      q.insertSent.run(accountId, r.messageId, r.date, r.subject === null ? null : subjectKey(r.subject), r.folder, r.recipients.join(RECIPIENT_SEPARATOR));
      for (const a of r.recipients) q.insertRecipient.run(accountId, a, r.date);
      for (const a of r.from) q.insertIdentity.run(accountId, a);
    }
    lookupCache.delete(accountId);
  });
  type PlannedMove = { itemId: number; srcFolder: string; srcUidvalidity: number; srcUid: number; destFolder: string; messageId: string | null };
  const planTx = db.transaction((runId: number, op: "move" | "undo", entries: readonly PlannedMove[]) =>
    entries.map((e) => Number(q.insertJournal.run({ runId, op, ...e, now: now() }).lastInsertRowid)),
  );

  return {
    ...accounts,
    ...runs,
    ...cleanup,
    ...own,
    ...traits,
    checkpoint(accountId: number, folder: string, role: "sent" | "scan"): Checkpoint | null {
      const r = q.folderState.get(accountId, folder, role);
      return r ? { uidValidity: r.uidvalidity, lastUid: r.last_uid, uidNext: r.uidnext, messages: r.messages, highestModseq: r.highestmodseq } : null;
    },
    setCheckpoint(accountId: number, folder: string, role: "sent" | "scan", c: Checkpoint): void {
      q.setFolderState.run({ accountId, folder, role, uidvalidity: c.uidValidity, lastUid: c.lastUid, uidnext: c.uidNext, messages: c.messages, highestmodseq: c.highestModseq });
    },

    /** Runs `fn` as one transaction: many small writes cost one commit. */
    batch<T>(fn: () => T): T {
      return db.transaction(fn)();
    },

    /** Adds sent messages, their recipients and From identities in one transaction. */
    addSent(accountId: number, rows: readonly SentRow[]): void {
      addSentTx(accountId, rows);
    },
    sentCount: (accountId: number): number => q.sentCount.get(accountId)?.n ?? 0,

    /** The sent index as classify sees it. Built once per scan. */
    lookup(accountId: number, trustedPatterns: readonly string[]): IndexLookup {
      let cached = lookupCache.get(accountId);
      if (!cached) {
        const counts = new Map<string, number>();
        const sent = new Map<string, number | null>();
        for (const { message_id, date } of q.sentIds.iterate(accountId)) {
          sent.set(message_id, date);
          const d = messageIdDomain(message_id);
          if (d) counts.set(d, (counts.get(d) ?? 0) + 1);
        }
        const recipients = new Set(q.recipients.all(accountId).map((r) => r.address));
        cached = { domains: [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d).slice(0, 20), sent, recipients };
        lookupCache.set(accountId, cached);
      }
      const snapshot = cached;
      const allow = q.allowRules.all(accountId).map((r) => r.pattern.toLowerCase());
      const window = 14 * 24 * 3600 * 1000;
      return {
        sentDate: (id) => snapshot.sent.get(id),
        wroteTo: (address) => snapshot.recipients.has(address.toLowerCase()),
        sentSimilar: (subject, recipients, around) => {
          const wanted = new Set(recipients.map((r) => r.toLowerCase()));
          const rows = q.sentWithSubject.all(accountId, subjectKey(subject), around === null ? 0 : around - window, around === null ? Number.MAX_SAFE_INTEGER : around + window);
          // Rows indexed before their recipients were kept (NULL) go on the subject and time alone.
          return rows.some((row) => row.recipients === null || row.recipients.split(RECIPIENT_SEPARATOR).some((a) => wanted.has(a)));
        },
        oldestSent: q.oldestSent.get(accountId)?.oldest ?? null,
        ownIdDomains: cached.domains,
        trustedPatterns,
        allowed: (address) => {
          const a = address.toLowerCase();
          return allow.some((p) => p === a || (p.startsWith("@") && a.endsWith(p)));
        },
      };
    },
    addAllowRule: (accountId: number, pattern: string): void => void q.addAllow.run(accountId, pattern.toLowerCase()),

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
    itemsById: (ids: readonly number[]): Item[] => ids.map((id) => q.item.get(id)).filter((r): r is ItemRecord => r !== undefined).map(toItem),
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
    setItemState(id: number, state: ItemState, destFolder: string | null = null, destUid: number | null = null): void {
      q.setItemState.run({ id, state, destFolder, destUid });
    },
    /** After an undo the message lives in its old folder again, under a new UID. */
    relocateItem(id: number, folder: string, uidvalidity: number, uid: number, state: ItemState): void {
      q.relocateItem.run({ id, folder, uidvalidity, uid, state });
    },

    startRun: (accountId: number, kind: "scan" | "move" | "undo" | "index"): number => Number(q.insertRun.run(accountId, kind, now()).lastInsertRowid),
    finishRun: (runId: number, summary: unknown): void => void q.finishRun.run(now(), JSON.stringify(summary), runId),
    lastRun: (accountId: number, kind: "move" | "scan" | "undo"): number | null => q.lastRun.get(accountId, kind)?.id ?? null,

    /** Journals a batch as planned, in one transaction, before any IMAP command. */
    planMoves(runId: number, op: "move" | "undo", entries: readonly PlannedMove[]): number[] {
      return planTx(runId, op, entries);
    },
    setJournal(id: number, state: JournalEntry["state"], destUid: number | null = null, error: string | null = null): void {
      q.setJournal.run({ id, state, destUid, error, now: now() });
    },
    /** Marks an entry as sent to the server; `destUidnext` says where its copy would land. */
    setJournalMoving(id: number, destUidnext: number): void {
      q.setJournalMoving.run(destUidnext, now(), id);
    },
    openJournal: (accountId: number): JournalEntry[] => q.openJournal.all(accountId).map(toJournal),
    journalOfRun: (runId: number): JournalEntry[] => q.journalOfRun.all(runId).map(toJournal),
  };
}
