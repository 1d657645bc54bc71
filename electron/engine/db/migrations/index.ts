/** Every migration, in order. Imported statically so a build can never miss one. */
import { migration0001 } from "./0001-initial.js";
import { migration0002 } from "./0002-lease.js";
import { migration0003 } from "./0003-schedule.js";
import { migration0004 } from "./0004-cleanup.js";
import { migration0005 } from "./0005-oauth.js";
import type { Migration } from "./types.js";

export type { Migration } from "./types.js";

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005];

export const SCHEMA_VERSION = MIGRATIONS.length;
