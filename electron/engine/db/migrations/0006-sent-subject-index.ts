/**
 * Looking up sent mail by subject (a bounce that lost every Message-ID but kept the subject) was a
 * scan of the whole sent index for each such bounce; the profile of a 50,000-message scan showed
 * it. Subjects are stored already normalised, so a plain index serves the look-up.
 */
import type { Migration } from "./types.js";

export const migration0006: Migration = {
  version: 6,
  name: "sent-subject-index",
  up: `CREATE INDEX sent_by_subject ON sent_message (account_id, subject, date);`,
};
