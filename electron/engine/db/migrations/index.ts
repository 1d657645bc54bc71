/** Every migration, in order. Imported statically so a build can never miss one. */
import { migration0001 } from "./0001-initial.js";
import { migration0002 } from "./0002-lease.js";
import { migration0003 } from "./0003-schedule.js";
import { migration0004 } from "./0004-cleanup.js";
import { migration0005 } from "./0005-oauth.js";
import { migration0006 } from "./0006-sent-subject-index.js";
import { migration0007 } from "./0007-own-facts.js";
import { migration0008 } from "./0008-lease-holder.js";
import { migration0009 } from "./0009-sent-recipients.js";
import { migration0010 } from "./0010-server-traits.js";
import { migration0011 } from "./0011-watch.js";
import { migration0012 } from "./0012-bandwidth.js";
import { migration0013 } from "./0013-labels.js";
import { migration0014 } from "./0014-gmail-id.js";
import type { Migration } from "./types.js";

export type { Migration } from "./types.js";

export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
