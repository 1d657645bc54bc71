/** Gmail: the labels (X-GM-LABELS) a message had when the app moved it, so that undo gives back any it lost. */
import type { Migration } from "./types.js";

export const migration0013: Migration = {
  version: 13,
  name: "labels",
  up: `ALTER TABLE item ADD COLUMN labels TEXT;`,
};
