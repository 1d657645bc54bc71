/** Whether the app sweeps an account's new mail as it arrives (IDLE) while it runs: on unless the user turns it off. */
import type { Migration } from "./types.js";

export const migration0011: Migration = {
  version: 11,
  name: "watch",
  up: `ALTER TABLE account ADD COLUMN watch INTEGER NOT NULL DEFAULT 1 CHECK (watch IN (0, 1));`,
};
