/** Gmail: each item's X-GM-MSGID, so that a message seen in two scanned folders (two labels) is one item. */
import type { Migration } from "./types.js";

export const migration0014: Migration = {
  version: 14,
  name: "gmail-id",
  up: `
    ALTER TABLE item ADD COLUMN gmail_id TEXT;
    CREATE INDEX item_gmail_id ON item (account_id, gmail_id) WHERE gmail_id IS NOT NULL;
  `,
};
