/**
 * The engine's store over SQLite: every statement prepared once, behind named functions, one
 * file per concern (accounts, checkpoints here, the sent index, items, runs and the journal, the
 * user's own mail, clean-ups, server traits). Callers never see SQL; a batch is one transaction.
 */
import type { Checkpoint, StorePort } from "../ports.js";
import { createAccounts } from "./accounts.js";
import { createCleanupStore } from "./cleanup.js";
import { createItems } from "./items.js";
import { createJournal } from "./journal.js";
import type { Db } from "./open.js";
import { createOwnFactsStore } from "./ownFacts.js";
import { createBandwidth } from "./bandwidth.js";
import { createRuns } from "./runs.js";
import { createSentIndex } from "./sentIndex.js";
import { createTraits } from "./traits.js";

export { subjectKey, withoutReplyPrefixes } from "./sentIndex.js";

export function createStore(db: Db, now: () => number = Date.now): StorePort {
  const q = {
    checkpoint: db.prepare<
      [number, string, string],
      { uidvalidity: number; last_uid: number; uidnext: number; messages: number; highestmodseq: string | null }
    >("SELECT uidvalidity, last_uid, uidnext, messages, highestmodseq FROM folder_state WHERE account_id = ? AND folder = ? AND role = ?"),
    setCheckpoint: db.prepare(`INSERT INTO folder_state (account_id, folder, role, uidvalidity, last_uid, uidnext, messages, highestmodseq)
      VALUES (@accountId, @folder, @role, @uidvalidity, @lastUid, @uidnext, @messages, @highestmodseq)
      ON CONFLICT (account_id, folder, role) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,
        uidnext = excluded.uidnext, messages = excluded.messages, highestmodseq = excluded.highestmodseq`),
  };
  return {
    ...createAccounts(db, now),
    ...createRuns(db),
    ...createCleanupStore(db, now),
    ...createOwnFactsStore(db, now),
    ...createTraits(db, now),
    ...createBandwidth(db),
    ...createSentIndex(db),
    ...createItems(db, now),
    ...createJournal(db, now),
    checkpoint(accountId: number, folder: string, role: "sent" | "scan"): Checkpoint | null {
      const r = q.checkpoint.get(accountId, folder, role);
      return r ? { uidValidity: r.uidvalidity, lastUid: r.last_uid, uidNext: r.uidnext, messages: r.messages, highestModseq: r.highestmodseq } : null;
    },
    setCheckpoint(accountId: number, folder: string, role: "sent" | "scan", c: Checkpoint): void {
      q.setCheckpoint.run({
        accountId,
        folder,
        role,
        uidvalidity: c.uidValidity,
        lastUid: c.lastUid,
        uidnext: c.uidNext,
        messages: c.messages,
        highestmodseq: c.highestModseq,
      });
    },
    /** Runs `fn` as one transaction: many small writes cost one commit. */
    batch<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
  };
}
