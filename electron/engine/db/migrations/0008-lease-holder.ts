/**
 * A lease names its holder by more than its PID: a PID is reused after the holder dies (and after
 * a reboot), and a killed process stays a zombie until reaped. The holder's identity (on Linux its
 * boot and start time) tells a live holder from a stranger with the same number.
 */
import type { Migration } from "./types.js";

export const migration0008: Migration = {
  version: 8,
  name: "lease-holder",
  up: `ALTER TABLE lease ADD COLUMN holder TEXT;`,
};
