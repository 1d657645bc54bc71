/**
 * Which process is working on an account. Two processes on one profile (the app's scheduled scan
 * and a CLI run) must not move the same mail at once; a lease left by a killed process is taken
 * over, because its process is gone.
 */
import type { Migration } from "./types.js";

export const migration0002: Migration = {
  version: 2,
  name: "lease",
  up: `
    CREATE TABLE lease (
      account_id INTEGER PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
      pid INTEGER NOT NULL,
      since INTEGER NOT NULL
    ) STRICT;
  `,
};
