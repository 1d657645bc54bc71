/**
 * Each sent message keeps its own recipients, so "the user sent mail with this subject to one of
 * these addresses" can be asked of one message rather than of the subject alone. Rows indexed
 * before this migration have none (NULL): for them the subject and the time still decide.
 */
import type { Migration } from "./types.js";

export const migration0009: Migration = {
  version: 9,
  name: "sent-recipients",
  up: `ALTER TABLE sent_message ADD COLUMN recipients TEXT;`,
};
