/** The clean-up of the destination: each one recorded for the activity journal (what it deleted is gone from the items). */
import type { Migration } from "./types.js";

export const migration0004: Migration = {
  version: 4,
  name: "cleanup",
  up: `
    CREATE TABLE cleanup (
      id INTEGER PRIMARY KEY,
      account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
      at INTEGER NOT NULL,
      folder TEXT NOT NULL,
      older_than_days INTEGER NOT NULL,
      deleted INTEGER NOT NULL
    ) STRICT;
  `,
};
