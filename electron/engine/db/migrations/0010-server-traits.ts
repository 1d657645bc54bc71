/**
 * What a server proved about itself, per account: for now whether its SEARCH finds every
 * candidate the fetch gate finds (the scan's first pass). Kept with the host it was proved on,
 * so an account moved to another server proves it again.
 */
import type { Migration } from "./types.js";

export const migration0010: Migration = {
  version: 10,
  name: "server-traits",
  up: `
    CREATE TABLE server_trait (
      account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      name TEXT NOT NULL CHECK (name IN ('search-pass')),
      host TEXT NOT NULL,
      value TEXT NOT NULL,
      proved_at INTEGER NOT NULL,
      PRIMARY KEY (account_id, name)
    ) STRICT;
  `,
};
