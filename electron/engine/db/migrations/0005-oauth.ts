/** OAuth2 sign-in settings per account (JSON; NULL: a password). The tokens live with the secrets, never here. */
import type { Migration } from "./types.js";

export const migration0005: Migration = {
  version: 5,
  name: "oauth",
  up: `ALTER TABLE account ADD COLUMN oauth TEXT CHECK (oauth IS NULL OR json_valid(oauth));`,
};
