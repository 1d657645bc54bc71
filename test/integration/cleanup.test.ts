// The optional clean-up of the destination, against Dovecot with a quota: off by default and
// refused while off; it shows the folder's size and the mailbox's quota; it deletes only what
// the app moved there more than N days ago (by a clock the test moves), only after confirmation,
// never the user's own mail in that folder (not even a message the user flagged \Deleted), skips
// what another program changed, is recorded in the activity journal, and does nothing at all on a
// server without UIDPLUS.
import { afterEach, describe, expect, it } from "vitest";
import { engineFor, type EngineSetup } from "../harness/engine.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { contents, liveIds, seed, withClient } from "../harness/imap.js";
import { scenario, USERS_OWN_DELETED, type SeedMessage } from "../harness/mailbox.js";

const DAY = 86_400_000;
const messages = scenario(2);
const moving = messages
  .filter((m) => m.expect === "move")
  .map((m) => m.messageId)
  .sort();
const usersOwn: SeedMessage = {
  ...USERS_OWN_DELETED,
  raw: "Message-ID: <kept-by-the-user@example.org>\r\nFrom: bob@remote.example\r\nSubject: mine\r\n\r\nI put this here myself.\r\n",
  messageId: "kept-by-the-user@example.org",
  flags: [],
};
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function mailbox(hide: string[] = []): Promise<{ d: Dovecot; setup: EngineSetup; clock: { now: number } }> {
  const d = await startDovecot({ hide, quota: { storageKb: 10_240, messages: 1_000 } });
  cleanup.push(() => d.stop());
  await seed(d, messages);
  await withClient(d, (c) => c.mailboxCreate("Backscatter").then(() => undefined));
  // The user's own mail in the destination: one kept, one flagged \Deleted in another program.
  await seed(d, [
    { ...usersOwn, folder: "Backscatter" as "INBOX" },
    { ...USERS_OWN_DELETED, folder: "Backscatter" as "INBOX" },
  ]);
  const clock = { now: Date.UTC(2026, 10, 1) };
  const setup = await engineFor(d, { now: () => clock.now });
  cleanup.push(async () => setup.dispose());
  const r = await setup.engine.scan({ accountId: setup.accountId, apply: true });
  expect(r.moved).toBe(moving.length);
  return { d, setup, clock };
}

describe("clean-up of the destination", () => {
  it("is off by default; shows size and quota; deletes only our old moves, after confirmation, and says so in the activity", { timeout: 60_000 }, async () => {
    const { d, setup, clock } = await mailbox();
    const { engine, accountId } = setup;
    const off = await engine.cleanupPreview({ accountId });
    expect(off).toMatchObject({ folder: "Backscatter", days: null, candidates: 0, messages: moving.length + 2 });
    expect(off.bytes).toBeGreaterThan(1000);
    expect(off.quota?.storage?.limit).toBe(10_240 * 1024);
    expect(off.quota?.storage?.used).toBeGreaterThan(0);
    expect(off.quota?.messages).toMatchObject({ limit: 1_000 });
    await expect(engine.cleanup({ accountId, confirm: true })).rejects.toThrow(/Clean-up is off for this account: nothing was deleted/);
    await expect(engine.cleanup({ accountId, confirm: false as unknown as true })).rejects.toThrow(/needs the user's confirmation/);

    await engine.accountUpdate({ accountId, changes: { cleanupDays: 30 } });
    clock.now += 10 * DAY;
    expect((await engine.cleanupPreview({ accountId })).candidates).toBe(0);
    expect(await engine.cleanup({ accountId, confirm: true })).toMatchObject({ deleted: 0, skipped: 0 });

    clock.now += 21 * DAY;
    expect((await engine.cleanupPreview({ accountId })).candidates).toBe(moving.length);
    // Meanwhile another program deleted one of them itself.
    const [gone, ...rest] = moving;
    await withClient(d, async (c) => {
      const lock = await c.getMailboxLock("Backscatter");
      try {
        const uids = (await c.search({ header: { "message-id": gone ?? "" } }, { uid: true })) || [];
        await c.messageDelete(uids.join(","), { uid: true });
      } finally {
        lock.release();
      }
    });
    const r = await engine.cleanup({ accountId, confirm: true });
    expect(r).toEqual({ folder: "Backscatter", deleted: rest.length, skipped: 1 });
    expect(await liveIds(d, "Backscatter")).toEqual([usersOwn.messageId]);
    expect((await contents(d, "Backscatter")).find((m) => m.messageId === USERS_OWN_DELETED.messageId)?.flags).toContain("\\Deleted");
    expect(await liveIds(d, "INBOX")).toEqual(
      messages
        .filter((m) => m.folder === "INBOX" && m.expect === "stay")
        .map((m) => m.messageId)
        .sort(),
    );
    const [latest] = await engine.activity({ accountId });
    expect(latest).toMatchObject({ kind: "cleanup", undoable: false, text: `Deleted ${rest.length} messages moved to Backscatter more than 30 days ago.` });
    expect((await engine.cleanupPreview({ accountId })).candidates).toBe(0);
  });

  it("deletes nothing on a server without UIDPLUS, and says why", { timeout: 60_000 }, async () => {
    const { d, setup, clock } = await mailbox(["UIDPLUS"]);
    await setup.engine.accountUpdate({ accountId: setup.accountId, changes: { cleanupDays: 30 } });
    clock.now += 40 * DAY;
    await expect(setup.engine.cleanup({ accountId: setup.accountId, confirm: true })).rejects.toThrow(/lacks UIDPLUS.*so nothing was deleted/);
    expect((await liveIds(d, "Backscatter")).filter((id) => moving.includes(id))).toEqual(moving);
  });
});
