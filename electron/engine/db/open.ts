/**
 * Opening the profile database: WAL, foreign keys, migrations to the current schema under
 * `PRAGMA user_version`. A database written by a newer version is refused, not touched.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from "./migrations/index.js";

export type Db = Database.Database;

export class DatabaseError extends Error {
  constructor(
    message: string,
    readonly code: "newer" | "corrupt" | "io",
  ) {
    super(message);
  }
}

/** Applies the migrations newer than the database, all in one transaction. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma("user_version", { simple: true }) as number;
  const target = migrations.length;
  if (current > target) {
    throw new DatabaseError(`This database was written by a newer version of Backscatter Sweeper (schema ${current}; this version knows ${target}). Update the app, or rebuild the database.`, "newer");
  }
  if (current === target) return current;
  db.transaction(() => {
    for (const m of migrations.slice(current)) db.exec(m.up);
    db.pragma(`user_version = ${target}`);
  })();
  return target;
}

/** Opens (creating if needed) a profile database at `path`, or in memory for ":memory:". */
export function openDatabase(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    // The desktop app loads a better-sqlite3 built for Electron's ABI from a folder of its own.
    const nativeBinding = process.env["BSS_SQLITE_BINDING"];
    db = nativeBinding ? new Database(path, { nativeBinding }) : new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    db.pragma("synchronous = NORMAL");
  } catch (error) {
    throw new DatabaseError(`The database at ${path} cannot be opened: ${error instanceof Error ? error.message : String(error)}`, "corrupt");
  }
  try {
    migrate(db);
  } catch (error) {
    db.close();
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError(`The database at ${path} is damaged (${error instanceof Error ? error.message : String(error)}). It can be rebuilt: the index is a copy of what is on the server.`, "corrupt");
  }
  return db;
}

export { SCHEMA_VERSION };
