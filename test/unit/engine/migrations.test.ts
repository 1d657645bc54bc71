// Each migration has a test; a database newer than the code is refused, not touched.
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DatabaseError, migrate, openDatabase, PAGE_CACHE_KIB, SCHEMA_VERSION } from "../../../electron/engine/db/open.js";
import { MIGRATIONS } from "../../../electron/engine/db/migrations/index.js";
import { createLeases, processIdentity } from "../../../electron/engine/db/lease.js";
import { createTraits } from "../../../electron/engine/db/traits.js";
import { createAccounts } from "../../../electron/engine/db/accounts.js";
import { createBandwidth } from "../../../electron/engine/db/bandwidth.js";
import { createItems } from "../../../electron/engine/db/items.js";

const dir = mkdtempSync(join(tmpdir(), "bss-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("migrations", () => {
  it("0001 creates the STRICT tables of the first schema and sets user_version", () => {
    const db = openDatabase(join(dir, "a.sqlite"));
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    const tables = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(tables.map((t) => t.name)).toEqual([
      "account",
      "allow_rule",
      "bandwidth",
      "cleanup",
      "folder_state",
      "identity",
      "item",
      "journal",
      "lease",
      "own_fact",
      "run",
      "sent_message",
      "sent_recipient",
      "server_trait",
    ]);
    expect(tables.every((t) => /STRICT/.test(t.sql))).toBe(true);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("cache_size", { simple: true })).toBe(-PAGE_CACHE_KIB);
    db.close();
  });

  it("0002 adds the lease: one process per account, a dead holder's lease taken over", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO account (id, name, host, port, security, user, created_at) VALUES (1, 'a', 'h', 143, 'plain', 'u', 0)").run();
    expect(migrate(db, MIGRATIONS.slice(0, 2))).toBe(2);
    const alive = new Set([100, 200]);
    migrate(db);
    const leases = createLeases(db, (pid) => (alive.has(pid) ? `start-of-${pid}` : null));
    expect(leases.acquire(1, 100)).toBeNull();
    expect(leases.acquire(1, 100)).toBeNull(); // the holder itself
    expect(leases.acquire(1, 200)).toBe(100);
    alive.delete(100); // killed without releasing
    expect(leases.acquire(1, 200)).toBeNull();
    leases.release(1, 200);
    expect(db.prepare("SELECT count(*) AS n FROM lease").get()).toEqual({ n: 0 });
    db.close();
  });

  it("0003 adds the background settings: existing accounts scan only when asked, move nothing by themselves, never clean up", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 2));
    db.prepare("INSERT INTO account (id, name, host, port, security, user, created_at) VALUES (1, 'a', 'h', 143, 'plain', 'u', 0)").run();
    expect(migrate(db, MIGRATIONS.slice(0, 3))).toBe(3);
    expect(db.prepare("SELECT schedule_minutes, auto_move, cleanup_days FROM account").get()).toEqual({
      schedule_minutes: null,
      auto_move: "off",
      cleanup_days: null,
    });
    expect(() => db.prepare("UPDATE account SET schedule_minutes = 1").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE account SET auto_move = 'all'").run()).toThrow(/CHECK/);
    db.close();
  });

  it("0004 adds the clean-up record", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 3));
    db.prepare("INSERT INTO account (id, name, host, port, security, user, created_at) VALUES (1, 'a', 'h', 143, 'plain', 'u', 0)").run();
    expect(migrate(db, MIGRATIONS.slice(0, 4))).toBe(4);
    db.prepare("INSERT INTO cleanup (account_id, at, folder, older_than_days, deleted) VALUES (1, 5, 'Backscatter', 30, 7)").run();
    db.prepare("DELETE FROM account").run();
    expect(db.prepare("SELECT count(*) AS n FROM cleanup").get()).toEqual({ n: 0 }); // goes with its account
    db.close();
  });

  it("0008 names a lease's holder: a zombie, a reused PID or a PID from before a reboot is not the holder", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 7));
    db.prepare("INSERT INTO account (id, name, host, port, security, user, created_at) VALUES (1, 'a', 'h', 143, 'plain', 'u', 0)").run();
    db.prepare("INSERT INTO lease (account_id, pid, since) VALUES (1, 100, 0)").run();
    expect(migrate(db, MIGRATIONS.slice(0, 8))).toBe(8);
    const running = new Map<number, string>([
      [100, "boot1:500"],
      [200, "boot1:900"],
    ]);
    const leases = createLeases(db, (pid) => running.get(pid) ?? null);
    expect(leases.acquire(1, 200)).toBe(100); // a lease from before: its live PID still holds it
    leases.release(1, 100);
    expect(leases.acquire(1, 100)).toBeNull();
    expect(leases.acquire(1, 200)).toBe(100);
    running.set(100, "boot1:777"); // the holder died; another process got its PID
    expect(leases.acquire(1, 200)).toBeNull();
    running.set(200, "boot2:900"); // a reboot: the same PID and start time, another boot
    expect(leases.acquire(1, 300)).toBeNull();
    db.close();
  });

  it("a process's identity: this one has one, stable; a zombie has none", async () => {
    const me = processIdentity(process.pid);
    expect(me).not.toBeNull();
    expect(processIdentity(process.pid)).toBe(me);
    expect(processIdentity(2 ** 22 + 12345)).toBeNull();
    // A zombie: the child exits once its parent has become `sleep`, which never reaps it.
    const { spawn } = await import("node:child_process");
    const parent = spawn("sh", ["-c", "sleep 1 & echo $!; exec sleep 6"], { stdio: ["ignore", "pipe", "ignore"] });
    const pid = await new Promise<number>((resolve) => parent.stdout?.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))));
    try {
      await new Promise((r) => setTimeout(r, 1600));
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      expect(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3)).toBe("Z");
      expect(processIdentity(pid)).toBeNull();
    } finally {
      parent.kill();
    }
  });

  it("0006 indexes the sent mail by subject, and the subject look-up uses it", () => {
    const db = openDatabase(join(dir, "subject.sqlite"));
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT 1 AS one FROM sent_message WHERE account_id = ? AND subject = ? AND date BETWEEN ? AND ? LIMIT 1")
      .all(1, "hello", 0, 1) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(" ")).toMatch(/USING (?:COVERING )?INDEX sent_by_subject/);
    db.close();
  });

  it("0007 keeps what is learned of the user's own mail, per account, once each, gone with the account", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 6));
    db.prepare("INSERT INTO account (id, name, host, port, security, user, created_at) VALUES (1, 'a', 'h', 143, 'plain', 'u', 0)").run();
    expect(migrate(db, MIGRATIONS.slice(0, 7))).toBe(7);
    const add = db.prepare("INSERT OR IGNORE INTO own_fact (account_id, kind, value, seen_at) VALUES (1, ?, ?, 5)");
    add.run("relay", "smtp.example.org");
    add.run("relay", "smtp.example.org");
    add.run("batv", "1");
    add.run("relay-ip", "192.0.2.10");
    add.run("dkim", "sel._domainkey.example.org");
    expect(() => db.prepare("INSERT INTO own_fact (account_id, kind, value, seen_at) VALUES (1, 'guess', 'x', 5)").run()).toThrow(/CHECK/);
    expect(db.prepare("SELECT count(*) AS n FROM own_fact").get()).toEqual({ n: 4 });
    // Each item keeps the IP that handed its original on (campaigns).
    expect(db.prepare("SELECT name FROM pragma_table_info('item') WHERE name = 'origin_ip'").get()).toEqual({ name: "origin_ip" });
    db.prepare("DELETE FROM account").run();
    expect(db.prepare("SELECT count(*) AS n FROM own_fact").get()).toEqual({ n: 0 });
    db.close();
  });

  it("0009 keeps each sent message's recipients; rows from before have none", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 8));
    db.prepare("INSERT INTO account (id, name, host, port, security, user, created_at) VALUES (1, 'a', 'h', 143, 'plain', 'u', 0)").run();
    db.prepare("INSERT INTO sent_message (account_id, message_id, date, subject, folder) VALUES (1, 'old@x', 1, 'plans', 'Sent')").run();
    expect(migrate(db, MIGRATIONS.slice(0, 9))).toBe(9);
    db.prepare(
      "INSERT INTO sent_message (account_id, message_id, date, subject, folder, recipients) VALUES (1, 'new@x', 2, 'plans', 'Sent', 'bob@example.net')",
    ).run();
    expect(db.prepare("SELECT message_id, recipients FROM sent_message ORDER BY message_id").all()).toEqual([
      { message_id: "new@x", recipients: "bob@example.net" },
      { message_id: "old@x", recipients: null },
    ]);
    db.close();
  });

  it("0010 keeps what each account's server proved, per host, gone with the account", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 9));
    db.prepare("INSERT INTO account (id, name, host, port, security, user, created_at) VALUES (1, 'a', 'h', 143, 'plain', 'u', 0)").run();
    expect(migrate(db, MIGRATIONS.slice(0, 10))).toBe(10);
    const traits = createTraits(db, () => 5);
    expect(traits.serverTrait(1, "imap.example.org", "search-pass")).toBeNull();
    traits.setServerTrait(1, "IMAP.example.org", "search-pass", "trusted");
    expect(traits.serverTrait(1, "imap.example.org", "search-pass")).toBe("trusted");
    // Proved on one server, not on the next one the account moves to.
    expect(traits.serverTrait(1, "mail.example.net", "search-pass")).toBeNull();
    expect(() => db.prepare("INSERT INTO server_trait (account_id, name, host, value, proved_at) VALUES (1, 'guess', 'h', 'x', 5)").run()).toThrow(/CHECK/);
    db.prepare("DELETE FROM account").run();
    expect(db.prepare("SELECT count(*) AS n FROM server_trait").get()).toEqual({ n: 0 });
    db.close();
  });

  it("0011 watches every account, those already there included, until the user turns it off", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 10));
    db.prepare("INSERT INTO account (id, name, host, port, security, user, created_at) VALUES (1, 'a', 'h', 143, 'plain', 'u', 0)").run();
    expect(migrate(db, MIGRATIONS.slice(0, 11))).toBe(11);
    expect(db.prepare("SELECT watch FROM account WHERE id = 1").get()).toEqual({ watch: 1 });
    expect(() => db.prepare("UPDATE account SET watch = 2 WHERE id = 1").run()).toThrow(/CHECK/);
    migrate(db);
    const accounts = createAccounts(db, () => 5);
    expect(accounts.account(1)?.watch).toBe(true);
    expect(accounts.updateAccount(1, { watch: false })?.watch).toBe(false);
    expect(accounts.addAccount({ host: "h", port: 993, security: "tls", user: "v" }).watch).toBe(true);
    db.close();
  });

  it("0012 counts each account's downloads per day, keeps an own budget only when positive, and forgets both with the account", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 11));
    db.prepare("INSERT INTO account (id, name, host, port, security, user, created_at) VALUES (1, 'a', 'h', 143, 'plain', 'u', 0)").run();
    expect(migrate(db, MIGRATIONS.slice(0, 12))).toBe(12);
    const accounts = createAccounts(db, () => 5);
    expect(accounts.account(1)?.dailyBudgetMb).toBeNull();
    expect(accounts.updateAccount(1, { dailyBudgetMb: 300 })?.dailyBudgetMb).toBe(300);
    expect(() => db.prepare("UPDATE account SET daily_budget_mb = 0 WHERE id = 1").run()).toThrow(/CHECK/);
    const bandwidth = createBandwidth(db);
    bandwidth.addBytes(1, "2026-12-06", 1000);
    bandwidth.addBytes(1, "2026-12-06", 500);
    bandwidth.addBytes(1, "2026-12-07", 7);
    expect(bandwidth.bytesOn(1, "2026-12-06")).toBe(1500);
    expect(bandwidth.bytesOn(1, "2026-12-07")).toBe(7);
    db.prepare("DELETE FROM account").run();
    expect(db.prepare("SELECT count(*) AS n FROM bandwidth").get()).toEqual({ n: 0 });
    db.close();
  });

  it("0013 keeps the Gmail labels a moved message had, per item", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 12));
    db.prepare("INSERT INTO account (id, name, host, port, security, user, created_at) VALUES (1, 'a', 'h', 143, 'plain', 'u', 0)").run();
    db.prepare(
      "INSERT INTO item (id, account_id, folder, uidvalidity, uid, kind, verdict, confidence, reason, evidence, original_ids, recipients, scanned_at) VALUES (7, 1, 'INBOX', 1, 1, 'bounce', 'backscatter', 'high', 'r', '[]', '[]', '[]', 0)",
    ).run();
    expect(migrate(db, MIGRATIONS.slice(0, 13))).toBe(13);
    expect(db.prepare("SELECT labels FROM item WHERE id = 7").get()).toEqual({ labels: null });
    migrate(db);
    const items = createItems(db, () => 5);
    expect(items.itemLabels(7)).toBeNull();
    items.setItemLabels(7, ["\\Inbox", "Work"]);
    expect(items.itemLabels(7)).toEqual(["\\Inbox", "Work"]);
    db.close();
  });

  it("0014 keeps each item's Gmail message id, found again from any folder but its own", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 13));
    db.prepare("INSERT INTO account (id, name, host, port, security, user, created_at) VALUES (1, 'a', 'h', 143, 'plain', 'u', 0)").run();
    expect(migrate(db, MIGRATIONS.slice(0, 14))).toBe(14);
    migrate(db);
    db.prepare(
      "INSERT INTO item (account_id, folder, uidvalidity, uid, kind, verdict, confidence, reason, scanned_at, gmail_id) VALUES (1, 'INBOX', 1, 1, 'bounce', 'backscatter', 'high', 'r', 0, '17')",
    ).run();
    const items = createItems(db, () => 5);
    expect(items.gmailIdElsewhere(1, "17", "Work")).toBe(true);
    expect(items.gmailIdElsewhere(1, "17", "INBOX")).toBe(false);
    expect(items.gmailIdElsewhere(1, "18", "Work")).toBe(false);
    db.close();
  });

  it("applies only the missing migrations, once", () => {
    const db = new Database(":memory:");
    expect(migrate(db, MIGRATIONS.slice(0, 1))).toBe(1);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it("refuses a database written by a newer version, and leaves it untouched", () => {
    const path = join(dir, "newer.sqlite");
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(path)).toThrow(DatabaseError);
    expect(() => openDatabase(path)).toThrow(/newer version/);
    const again = new Database(path);
    expect(again.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION + 1);
    again.close();
  });

  it("says in words that a damaged file can be rebuilt", () => {
    const path = join(dir, "broken.sqlite");
    writeFileSync(path, "this is not a database at all, just text that fills the header page ".repeat(100));
    expect(() => openDatabase(path)).toThrow(/damaged|cannot be opened/);
  });
});
