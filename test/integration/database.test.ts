// The local database gone wrong: written by a newer version, damaged on disk (a page SQLite
// cannot read, found while a scan runs), or not a database at all. Each is said in words with an
// offer to rebuild; the rebuild keeps the old file, carries the accounts and the record of moves
// over (so undo still puts everything back) and reads the index again from the server.
import Database from "better-sqlite3";
import { existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../electron/engine/db/open.js";
import { createEngine } from "../../electron/engine/index.js";
import { openProfile } from "../../electron/engine/profile.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { cli } from "../harness/cli.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { liveIds, seed } from "../harness/imap.js";
import { expectedOf, scenario } from "../harness/mailbox.js";
import { REPO_ROOT } from "../harness/paths.js";

const messages = scenario(2);
const { moving, staying } = expectedOf(messages);
let d: Dovecot;
let dir: string;

beforeAll(async () => {
  d = await startDovecot();
  await seed(d, messages);
  dir = mkdtempSync(join(tmpdir(), "bss-db-"));
}, 60_000);
afterAll(async () => {
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A profile whose last run moved the backscatter, closed (so its WAL is checkpointed into the file). */
async function movedProfile(name: string): Promise<{ path: string; secrets: ReturnType<typeof memorySecrets>; accountId: number }> {
  const path = join(dir, name, "profile.sqlite");
  const secrets = memorySecrets();
  const db = openDatabase(path);
  const engine = createEngine({ db, secrets });
  const { id } = await engine.accountAdd({ account: { host: d.host, port: d.port, security: "plain", user: "alice@example.org" }, secret: "alice-secret" });
  const r = await engine.scan({ accountId: id, apply: true });
  expect(r.moved).toBe(moving.length);
  db.close();
  return { path, secrets, accountId: id };
}

/** Overwrites the root b-tree page of `table`, and of each of its indexes, with garbage. */
function damageTable(path: string, table: string): void {
  const db = new Database(path, { readonly: true });
  const roots = db
    .prepare<[string], { rootpage: number }>("SELECT rootpage FROM sqlite_master WHERE tbl_name = ? AND rootpage > 1")
    .all(table)
    .map((r) => r.rootpage);
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  db.close();
  expect(roots.length).toBeGreaterThan(0);
  const fd = openSync(path, "r+");
  // An index can answer a query alone (a covering index), so the table's indexes are damaged too.
  for (const root of roots) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
  closeSync(fd);
}

async function expectRebuiltAndUndoable(profile: ReturnType<typeof openProfile>, path: string, accountId: number): Promise<void> {
  const rebuilt = await profile.engine.profileRebuild({});
  expect(rebuilt.message).toMatch(
    /^A fresh database was started; the old file is kept as .*\.broken-\d{8}-\d{6}\. 1 account, 0 "not backscatter" rules and \d+ recorded moves were carried over/,
  );
  expect(existsSync(rebuilt.backup)).toBe(true);
  expect(await profile.engine.profileStatus({})).toEqual({ ok: true });
  expect(existsSync(path)).toBe(true);
  // The index is read again; the record of moves came over, so undo puts every message back.
  expect((await profile.engine.status({ accountId })).sentIndexed).toBe(0);
  const undone = await profile.engine.undo({ accountId, all: true });
  expect(undone.failed).toEqual([]);
  expect(undone.restored).toBe(moving.length);
  expect(await liveIds(d, "INBOX")).toEqual([...staying, ...moving].sort());
  expect(await liveIds(d, "Backscatter")).toEqual([]);
  const again = await profile.engine.scan({ accountId });
  expect(again.errors).toEqual([]);
  expect((await profile.engine.status({ accountId })).sentIndexed).toBe(messages.filter((m) => m.folder === "Sent").length);
}

describe("a database the app cannot use", () => {
  it("written by a newer version: refused in words, left untouched until the user rebuilds; then undo still works", { timeout: 60_000 }, async () => {
    const { path, secrets, accountId } = await movedProfile("newer");
    const db = new Database(path);
    db.pragma("user_version = 99");
    db.close();
    const profile = openProfile({ path, secrets });
    const status = await profile.engine.profileStatus({});
    expect(status).toMatchObject({ ok: false, problem: "newer", path });
    expect(status.ok ? "" : status.message).toMatch(
      /written by a newer version of Backscatter Sweeper \(schema 99; this version knows \d+\)\. Update the app, or rebuild the database\./,
    );
    await expect(profile.engine.accountList({})).rejects.toThrow(/newer version/);
    await expectRebuiltAndUndoable(profile, path, accountId);
    profile.close();
  });

  it("damaged on disk, found during a scan: the scan says so, the rebuild is offered, accounts and moves carried over", { timeout: 60_000 }, async () => {
    const { path, secrets, accountId } = await movedProfile("damaged");
    damageTable(path, "sent_message");
    const profile = openProfile({ path, secrets });
    expect(await profile.engine.profileStatus({})).toEqual({ ok: true }); // the damage is not on the pages read at start
    await expect(profile.engine.scan({ accountId })).rejects.toThrow(/The app's database is damaged\. It can be rebuilt/);
    expect(await profile.engine.profileStatus({})).toMatchObject({ ok: false, problem: "corrupt" });
    await expectRebuiltAndUndoable(profile, path, accountId);
    profile.close();
  });

  it("not a database at all: the rebuild says nothing could be carried over", async () => {
    const path = join(dir, "garbage", "profile.sqlite");
    rmSync(join(dir, "garbage"), { recursive: true, force: true });
    openDatabase(path).close();
    writeFileSync(path, "this is not a database at all, just text that fills the header page ".repeat(100));
    const profile = openProfile({ path, secrets: memorySecrets() });
    expect(await profile.engine.profileStatus({})).toMatchObject({ ok: false, problem: "corrupt" });
    const rebuilt = await profile.engine.profileRebuild({});
    expect(rebuilt.message).toMatch(/0 accounts, .* Nothing could be read from the old file .*; add your accounts again\./);
    expect(await profile.engine.accountList({})).toEqual([]);
    profile.close();
  });

  it("the CLI says so with the command to rebuild, and `db rebuild` does it", { timeout: 60_000 }, async () => {
    const path = join(dir, "cli", "profile.sqlite");
    openDatabase(path).close();
    writeFileSync(path, "garbage ".repeat(1000));
    const refused = await cli(["account", "list", "--db", path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is damaged");
    expect(refused.stderr).toContain(`To start afresh, run: backscatter-sweeper db rebuild --db ${JSON.stringify(path)}`);
    const rebuilt = await cli(["db", "rebuild", "--db", path]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toMatch(/A fresh database was started/);
    expect((await cli(["account", "list", "--db", path])).code).toBe(0);
    // A sound database is left alone.
    const sound = await cli(["db", "rebuild", "--db", path], REPO_ROOT);
    expect(sound.stderr).toMatch(/is in order; nothing was changed/);
  });
});
