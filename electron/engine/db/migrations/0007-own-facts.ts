/**
 * What the engine learns of the user's own mail beyond the sent index: the relays it goes out
 * through (from the Received chains of bounces that matched sent mail) and whether its return
 * address is BATV-signed. Evidence about other reports is weighed against these.
 */
import type { Migration } from "./types.js";

export const migration0007: Migration = {
  version: 7,
  name: "own-facts",
  up: `CREATE TABLE own_fact (
      account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('relay', 'batv')),
      value TEXT NOT NULL,
      seen_at INTEGER NOT NULL,
      PRIMARY KEY (account_id, kind, value)
    ) STRICT, WITHOUT ROWID;`,
};
