/** `db rebuild [--db PATH]`: a fresh profile database when the old one cannot be used. */
import { existsSync } from "node:fs";
import { DatabaseError, openDatabase } from "../db/open.js";
import { rebuildDatabase } from "../db/rebuild.js";
import { describeRebuild } from "../profile.js";
import { UsageError, type Args } from "./args.js";
import type { CommandIo } from "./io.js";
import { dbPath } from "./profile.js";

/** The `--db` option to repeat in the hint, when the failing command had one. */
export function rebuildHint(argv: readonly string[]): string {
  const i = argv.indexOf("--db");
  const path = i >= 0 ? argv[i + 1] : undefined;
  return path ? ` --db ${JSON.stringify(path)}` : "";
}

export function dbCommand(args: Args, io: CommandIo): number {
  if (args.positional[0] !== "rebuild") throw new UsageError("db rebuild [--db PATH]");
  const path = dbPath(args, io);
  if (!existsSync(path)) throw new UsageError(`there is no database at ${path}`);
  // A database that opens is left alone unless asked: rebuilding drops the index and verdicts.
  if (!args.options.has("force")) {
    try {
      openDatabase(path).close();
      io.stderr(`The database at ${path} is in order; nothing was changed. (--force rebuilds it anyway.)\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof DatabaseError)) throw error;
    }
  }
  const r = rebuildDatabase(path);
  io.stdout(`${describeRebuild(r)}\n`);
  return 0;
}
