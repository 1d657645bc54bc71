/** Bytes downloaded per account and day (the local calendar day), for the daily download budget. */
import type { Db } from "./open.js";

export function createBandwidth(db: Db) {
  const q = {
    add: db.prepare(`INSERT INTO bandwidth (account_id, day, bytes) VALUES (?, ?, ?)
      ON CONFLICT (account_id, day) DO UPDATE SET bytes = bytes + excluded.bytes`),
    on: db.prepare<[number, string], { bytes: number }>("SELECT bytes FROM bandwidth WHERE account_id = ? AND day = ?"),
  };
  return {
    /** Adds `bytes` to what the account downloaded on `day` (YYYY-MM-DD). */
    addBytes(accountId: number, day: string, bytes: number): void {
      if (bytes <= 0) return;
      q.add.run(accountId, day, Math.round(bytes));
    },
    bytesOn: (accountId: number, day: string): number => q.on.get(accountId, day)?.bytes ?? 0,
  };
}
