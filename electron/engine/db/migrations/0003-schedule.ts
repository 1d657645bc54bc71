/** Per-account background settings: scheduled scans, automatic moves, and the optional clean-up of the destination. */
import type { Migration } from "./types.js";

export const migration0003: Migration = {
  version: 3,
  name: "schedule",
  up: `
    -- NULL: no scheduled scans.
    ALTER TABLE account ADD COLUMN schedule_minutes INTEGER CHECK (schedule_minutes IS NULL OR schedule_minutes >= 5);
    -- Scheduled scans move on their own only when this is 'high' (high-confidence backscatter).
    ALTER TABLE account ADD COLUMN auto_move TEXT NOT NULL DEFAULT 'off' CHECK (auto_move IN ('off', 'high'));
    -- NULL: never. Otherwise messages the app moved more than this many days ago may be deleted, after the user confirms.
    ALTER TABLE account ADD COLUMN cleanup_days INTEGER CHECK (cleanup_days IS NULL OR cleanup_days >= 1);
  `,
};
