/**
 * What each account downloads per day, and the most it may (Gmail allows 2,500 MB a day over IMAP
 * and locks the account out for the rest of it): a budget per account, unset meaning the provider's default.
 */
import type { Migration } from "./types.js";

export const migration0012: Migration = {
  version: 12,
  name: "bandwidth",
  up: `
    ALTER TABLE account ADD COLUMN daily_budget_mb INTEGER CHECK (daily_budget_mb IS NULL OR daily_budget_mb > 0);
    CREATE TABLE bandwidth (
      account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      day TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      PRIMARY KEY (account_id, day)
    ) STRICT;
  `,
};
