/**
 * Starting afresh from a database that is damaged or was written by a newer version. The old
 * file is renamed, never deleted. From it we carry over what the server cannot tell us again —
 * the accounts and their settings, "not backscatter" rules, and the record of moves (runs, the
 * items they moved, the journal) so Undo still works — table by table, as far as each can be
 * read. The sent index, folder checkpoints and verdicts of unmoved mail are a cache of the
 * server: the next scan reads them again.
 */
import Database from "better-sqlite3";
import { existsSync, renameSync } from "node:fs";
import { openDatabase, type Db } from "./open.js";

export interface RebuildResult {
  /** Where the old file now is. */
  backup: string;
  /** Rows carried over, per kind. */
  carried: { accounts: number; rules: number; moves: number };
  /** What could not be read from the old file, in words (empty when everything came over). */
  lost: string[];
}

/** Tables carried over, in foreign-key order, with the rows wanted. Columns: those both versions have. */
const CARRY: readonly { table: string; where?: string; what: string }[] = [
  { table: "account", what: "the accounts" },
  { table: "allow_rule", what: 'the "not backscatter" rules' },
  { table: "run", where: "kind IN ('move', 'undo')", what: "the record of move runs" },
  { table: "item", where: "state IN ('moved', 'restored', 'kept') OR id IN (SELECT item_id FROM old.journal)", what: "the moved and kept messages" },
  { table: "journal", where: "run_id IN (SELECT id FROM main.run)", what: "the journal of moves" },
];

function sharedColumns(db: Db, table: string): string {
  const names = (schema: string): string[] =>
    db
      .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}', '${schema}')`)
      .all()
      .map((c) => c.name);
  const old = new Set(names("old"));
  const shared = names("main").filter((c) => old.has(c));
  if (shared.length === 0) throw new Error(`the old file has no ${table} table`);
  return shared.map((c) => `"${c}"`).join(", ");
}

const stamp = (at: Date): string => at.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");

/** Renames the database at `path` (and its WAL files) aside, creates a fresh one, and carries over what can be read. */
export function rebuildDatabase(path: string, now: () => number = Date.now): RebuildResult {
  const backup = `${path}.broken-${stamp(new Date(now()))}`;
  for (const suffix of ["", "-wal", "-shm"]) if (existsSync(path + suffix)) renameSync(path + suffix, backup + suffix);
  const db = openDatabase(path);
  const result: RebuildResult = { backup, carried: { accounts: 0, rules: 0, moves: 0 }, lost: [] };
  try {
    carryOver(db, backup, result);
  } finally {
    db.close();
  }
  return result;
}

function carryOver(db: Db, backup: string, result: RebuildResult): void {
  try {
    // Opened once read-only first: a file SQLite cannot read at all is said so here.
    new Database(backup, { readonly: true, fileMustExist: true }).close();
    db.prepare("ATTACH DATABASE ? AS old").run(backup);
  } catch (error) {
    result.lost.push(`Nothing could be read from the old file (${error instanceof Error ? error.message : String(error)}); add your accounts again.`);
    return;
  }
  try {
    for (const { table, where, what } of CARRY) {
      try {
        const columns = sharedColumns(db, table);
        const n = db.transaction(
          () =>
            db.prepare(`INSERT OR IGNORE INTO main.${table} (${columns}) SELECT ${columns} FROM old.${table}${where ? ` WHERE ${where}` : ""}`).run().changes,
        )();
        if (table === "account") result.carried.accounts = n;
        if (table === "allow_rule") result.carried.rules = n;
        if (table === "journal") result.carried.moves = n;
      } catch (error) {
        result.lost.push(`${what[0]?.toUpperCase()}${what.slice(1)} could not be read (${error instanceof Error ? error.message : String(error)}).`);
      }
    }
  } finally {
    db.prepare("DETACH DATABASE old").run();
  }
}
