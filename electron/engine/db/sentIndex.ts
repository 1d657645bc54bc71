/** The sent index: the user's sent messages, their recipients and From addresses, and the allow rules; read by classify through IndexLookup. */
import { messageIdDomain } from "../../../shared/messageId.js";
import type { IndexLookup, SentRow } from "../ports.js";
import type { Db } from "./open.js";

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

export function createSentIndex(db: Db) {
  const q = {
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

  return {
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
        cached = {
          domains: [...counts.entries()]
            .sort((a, b) => b[1] - a[1])
            .map(([d]) => d)
            .slice(0, 20),
          sent,
          recipients,
        };
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
          const rows = q.sentWithSubject.all(
            accountId,
            subjectKey(subject),
            around === null ? 0 : around - window,
            around === null ? Number.MAX_SAFE_INTEGER : around + window,
          );
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
  };
}
