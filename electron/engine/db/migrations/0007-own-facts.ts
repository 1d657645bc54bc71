/**
 * What the engine learns of the user's own mail beyond the sent index: the relays it goes out
 * through and their outbound IPs (from the Received chains of bounces that matched sent mail), the
 * DKIM selectors it is signed with, and whether its return address is BATV-signed. Evidence about
 * other reports, and the domain check's advice, are weighed against these. Each item keeps the IP
 * that handed its original to the outside world, for telling campaigns apart.
 */
import type { Migration } from "./types.js";

export const migration0007: Migration = {
  version: 7,
  name: "own-facts",
  up: `CREATE TABLE own_fact (
      account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('relay', 'relay-ip', 'dkim', 'batv')),
      value TEXT NOT NULL,
      seen_at INTEGER NOT NULL,
      PRIMARY KEY (account_id, kind, value)
    ) STRICT, WITHOUT ROWID;
    ALTER TABLE item ADD COLUMN origin_ip TEXT;`,
};
