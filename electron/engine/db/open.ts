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
    readonly code: "newer" | "corrupt" | "io" | "full",
  ) {
    super(message);
  }
}

/**
 * SQLite's failures while the app runs, in words: a full disk (nothing is half-written, since
 * every step commits in one transaction), a damaged file (rebuild), a read-only or failing disk.
 * Null for anything that is not SQLite's.
 */
export function describeDatabaseError(error: unknown): DatabaseError | null {
  if (error instanceof DatabaseError) return error;
  const code = typeof error === "object" && error !== null ? String((error as { code?: unknown }).code ?? "") : "";
  if (code === "SQLITE_FULL")
    return new DatabaseError(
      "The disk is full, so the app could not save its work. Nothing was half-written: what was finished is kept. Free some space and run it again.",
      "full",
    );
  if (code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB")
    return new DatabaseError(
      "The app's database is damaged. It can be rebuilt: the index is a copy of what is on the server, and the record of moves is carried over where it can be read.",
      "corrupt",
    );
  if (code.startsWith("SQLITE_IOERR") || code === "SQLITE_READONLY" || code === "SQLITE_CANTOPEN")
    return new DatabaseError(`The app's database could not be written (${code}): check the disk and its permissions. Nothing was half-written.`, "io");
  return null;
}

/** Applies the migrations newer than the database, all in one transaction. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma("user_version", { simple: true }) as number;
  const target = migrations.length;
  if (current > target) {
    throw new DatabaseError(
      `This database was written by a newer version of Backscatter Sweeper (schema ${current}; this version knows ${target}). Update the app, or rebuild the database.`,
      "newer",
    );
  }
  if (current === target) return current;
  db.transaction(() => {
    for (const m of migrations.slice(current)) db.exec(m.up);
    db.pragma(`user_version = ${target}`);
  })();
  return target;
}

/** SQLite's own page cache, in KiB (better-sqlite3's default is 16 MiB): a scan's writes go to the tables' ends and the OS caches the file, so more only costs memory. */
export const PAGE_CACHE_KIB = 4096;

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
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  } catch (error) {
    throw new DatabaseError(
      `The app's database at ${path} is damaged and cannot be opened (${error instanceof Error ? error.message : String(error)}). It can be rebuilt: the index is a copy of what is on the server.`,
      "corrupt",
    );
  }
  try {
    migrate(db);
  } catch (error) {
    db.close();
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError(
      `The app's database at ${path} is damaged (${error instanceof Error ? error.message : String(error)}). It can be rebuilt: the index is a copy of what is on the server.`,
      "corrupt",
    );
  }
  return db;
}

export { SCHEMA_VERSION };
