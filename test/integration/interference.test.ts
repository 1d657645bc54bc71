// Someone else at the mailbox, at the worst moment: a folder deleted between our STATUS and
// SELECT, or deleted and recreated (so its UIDVALIDITY changes) between our rescan of it and our
// move; messages deleted, moved and flagged
// by another program just before our MOVE or COPY; two scans started at once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ImapFlow } from "imapflow";
import { createLeases } from "../../electron/engine/db/lease.js";
import { openDatabase } from "../../electron/engine/db/open.js";
import { cli } from "../harness/cli.js";
import { REPO_ROOT } from "../harness/paths.js";
import { engineFor, type EngineSetup } from "../harness/engine.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { hookedSessions, type SessionHooks } from "../harness/hooks.js";
import { contents, liveIds, seed, withClient } from "../harness/imap.js";
import { dsnBounce, expectedOf, scenario, type SeedMessage } from "../harness/mailbox.js";

const OLD = "Old bounces";
const messages = scenario(2);
const { moving, staying } = expectedOf(messages);
const oldBounces = [0, 1, 2].map((k) => ({
  folder: OLD,
  raw: dsnBounce(`old-bs-${k}@mx.remote.example`, `forged-old-${k}@spam.example`, `v${k}@target.example`, "Cheap pills", 700 + k),
  messageId: `old-bs-${k}@mx.remote.example`,
  expect: "move",
  label: "backscatter in another folder",
})) as unknown as SeedMessage[];
const oldIds = oldBounces.map((m) => m.messageId).sort();

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function mailbox(hooks: SessionHooks, hide: string[] = []): Promise<{ d: Dovecot; setup: EngineSetup }> {
  const d = await startDovecot({ hide });
  cleanup.push(() => d.stop());
  await withClient(d, (c) => c.mailboxCreate(OLD).then(() => undefined));
  await seed(d, [...messages, ...oldBounces]);
  const setup = await engineFor(d, { openSession: hookedSessions(hooks) });
  cleanup.push(async () => setup.dispose());
  await setup.engine.accountUpdate({ accountId: setup.accountId, changes: { scanFolders: [OLD, "INBOX"] } });
  return { d, setup };
}

/** UIDs in `folder` of the messages with these Message-IDs. */
async function uidsOf(c: ImapFlow, ids: readonly string[]): Promise<string> {
  const found: number[] = [];
  for (const id of ids) found.push(...((await c.search({ header: { "message-id": id } }, { uid: true })) || []));
  return found.join(",");
}

/** Runs `fn` once, the first time `when` holds. */
function once<A extends unknown[]>(when: (...args: A) => boolean, fn: () => Promise<void>): (...args: A) => Promise<void> {
  let armed = true;
  return async (...args) => {
    if (!armed || !when(...args)) return;
    armed = false;
    await fn();
  };
}

describe("a folder changed by another program during a scan", () => {
  it("deleted between STATUS and SELECT: said in words; the other folders are scanned and moved", { timeout: 60_000 }, async () => {
    const server: { d?: Dovecot } = {};
    const hooks: SessionHooks = {
      afterStatus: once(
        (path: string) => path === OLD,
        () => withClient(server.d as Dovecot, (c) => c.mailboxDelete(OLD).then(() => undefined)),
      ),
    };
    const box = await mailbox(hooks);
    const d = box.d;
    server.d = d;
    const { engine, accountId } = box.setup;
    const r = await engine.scan({ accountId, apply: true });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ folder: OLD });
    expect(r.errors[0]?.error).toMatch(/Old bounces could not be scanned .*deleted or renamed by another mail program\. The other folders were scanned\./);
    expect(r.moved).toBe(moving.length);
    expect(await liveIds(d, "Backscatter")).toEqual(moving);
    expect(await liveIds(d, "INBOX")).toEqual(staying);
    const next = await engine.scan({ accountId });
    expect(next.errors.map((e) => e.error)).toEqual([`The folder ${OLD} does not exist on the server.`]);
  });

  it(
    "recreated (a new UIDVALIDITY) between our rescan of it and the move: no wrong move, said in words; the next run moves each message once",
    { timeout: 60_000 },
    async () => {
      const server: { d?: Dovecot } = {};
      let armed = false;
      const recreate = async (): Promise<void> => {
        await withClient(server.d as Dovecot, async (c) => {
          await c.mailboxDelete(OLD);
          await c.mailboxCreate(OLD);
        });
        await seed(server.d as Dovecot, oldBounces);
      };
      // Scanned before, the folder is not asked its STATUS on the rescan: its SELECT is the look.
      const box = await mailbox({ afterOpen: once((path: string) => armed && path === OLD, recreate) });
      const d = box.d;
      server.d = d;
      const { engine, accountId } = box.setup;
      const dry = await engine.scan({ accountId });
      expect(dry.counts.backscatter).toBe(moving.length + oldIds.length);
      armed = true;
      const r = await engine.scan({ accountId, apply: true });
      // The rescan's SELECT said "unchanged"; the move then finds the folder reset and touches nothing in it.
      expect(r.errors.map((e) => e.error)).toEqual(oldIds.map(() => `${OLD} was reset by the server (UIDVALIDITY changed); scan again first.`));
      expect(await liveIds(d, "Backscatter")).toEqual(moving);
      expect(await liveIds(d, OLD)).toEqual(oldIds);
      const next = await engine.scan({ accountId, apply: true });
      expect(next.errors).toEqual([]);
      expect(await liveIds(d, "Backscatter")).toEqual([...moving, ...oldIds].sort());
      expect(await liveIds(d, OLD)).toEqual([]);
      expect(await liveIds(d, "INBOX")).toEqual(staying);
    },
  );
});

describe.each([
  ["UID MOVE", []],
  ["our COPY fallback", ["MOVE"]],
])("another program at the inbox just before our %s", (_name, hide) => {
  it("deleted, moved and flagged messages: nothing doubled, nothing lost, the missing ones said once", { timeout: 60_000 }, async () => {
    const [deleted, movedAway, flagged] = moving;
    const archived = staying[0] ?? "";
    const server: { d?: Dovecot } = {};
    const meddle = async (): Promise<void> => {
      await withClient(server.d as Dovecot, async (c) => {
        await c.mailboxCreate("Elsewhere");
        await c.mailboxCreate("Archive");
        const lock = await c.getMailboxLock("INBOX");
        try {
          await c.messageFlagsAdd(await uidsOf(c, [deleted ?? ""]), ["\\Deleted"], { uid: true });
          await c.messageDelete(await uidsOf(c, [deleted ?? ""]), { uid: true });
          await c.messageMove(await uidsOf(c, [movedAway ?? ""]), "Elsewhere", { uid: true });
          await c.messageFlagsAdd(await uidsOf(c, [flagged ?? ""]), ["\\Flagged"], { uid: true });
          await c.messageMove(await uidsOf(c, [archived]), "Archive", { uid: true });
        } finally {
          lock.release();
        }
      });
    };
    const box = await mailbox({ beforeTransfer: once((_uids: readonly number[], dest: string) => dest === "Backscatter", meddle) }, [...hide]);
    const d = box.d;
    server.d = d;
    const { engine, accountId } = box.setup;
    await engine.accountUpdate({ accountId, changes: { scanFolders: ["INBOX"] } });
    const r = await engine.scan({ accountId, apply: true });
    expect(r.errors.map((e) => e.error)).toEqual([
      "It is no longer in INBOX: another mail program moved or deleted it.",
      "It is no longer in INBOX: another mail program moved or deleted it.",
    ]);
    expect(r.moved).toBe(moving.length - 2);
    const rest = moving.filter((id) => id !== deleted && id !== movedAway);
    expect(await liveIds(d, "Backscatter")).toEqual(rest);
    expect((await contents(d, "Backscatter")).find((m) => m.messageId === flagged)?.flags).toContain("\\Flagged");
    expect(await liveIds(d, "Elsewhere")).toEqual([movedAway]);
    expect(await liveIds(d, "Archive")).toEqual([archived]);
    expect(await liveIds(d, "INBOX")).toEqual(staying.filter((id) => id !== archived));
    // Said once: the next run has nothing left to complain about.
    const again = await engine.scan({ accountId, apply: true });
    expect(again.errors).toEqual([]);
    expect(again.moved).toBe(0);
    const undone = await engine.undo({ accountId });
    expect(undone.failed).toEqual([]);
    expect(await liveIds(d, "INBOX")).toEqual([...staying.filter((id) => id !== archived), ...rest].sort());
  });
});

describe("two scans started at once", () => {
  it("run one after the other (single flight): the second finds the work done", { timeout: 60_000 }, async () => {
    const { d, setup } = await mailbox({});
    const { engine, accountId } = setup;
    await engine.accountUpdate({ accountId, changes: { scanFolders: ["INBOX"] } });
    const [first, second] = await Promise.all([engine.scan({ accountId, apply: true }), engine.scan({ accountId, apply: true })]);
    expect(first.moved).toBe(moving.length);
    expect(second.moved).toBe(0);
    expect(second.scanned).toBe(0); // it started after the first had finished
    expect(await liveIds(d, "Backscatter")).toEqual(moving);
  });
});

describe("two processes on one profile", () => {
  it("the second is told who is at work, in words; run together, they leave every message once", { timeout: 120_000 }, async () => {
    const { d } = await mailbox({});
    const dir = mkdtempSync(join(tmpdir(), "bss-two-"));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, "profile.sqlite");
    const url = `imap://alice%40example.org@127.0.0.1:${d.port}`;
    const args = ["scan", url, "--apply", "--password-env", "BSS_PW", "--db", db];
    const env = { BSS_PW: "alice-secret" };
    expect((await cli(["scan", url, "--password-env", "BSS_PW", "--db", db], REPO_ROOT, env)).code).toBe(0);
    // This test process holds the account, as a running app would.
    const profile = openDatabase(db);
    const accountId = (profile.prepare("SELECT id FROM account").get() as { id: number }).id;
    createLeases(profile).acquire(accountId, process.pid);
    const refused = await cli(args, REPO_ROOT, env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Another Backscatter Sweeper (process ${process.pid}) is working on alice@example.org right now. Try again when it has finished.`,
    );
    createLeases(profile).release(accountId, process.pid);
    profile.close();
    expect(await liveIds(d, "Backscatter")).toEqual([]);

    const both = await Promise.all([cli(args, REPO_ROOT, env), cli(args, REPO_ROOT, env)]);
    for (const r of both) expect(r.code === 0 || /Another Backscatter Sweeper/.test(r.stderr), r.stderr).toBe(true);
    expect(both.some((r) => r.code === 0)).toBe(true);
    expect(await liveIds(d, "Backscatter")).toEqual(moving);
    expect(await liveIds(d, "INBOX")).toEqual(staying);
  });
});
