// A crash between any two journal steps: the next run finishes or rolls back; every message ends
// up exactly once, without \Deleted; the destination holds exactly the backscatter.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../electron/engine/db/open.js";
import { createEngine } from "../../electron/engine/index.js";
import type { FaultPoint } from "../../electron/engine/move/journal.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { resetInboxUidvalidity, startDovecot } from "../harness/dovecot.js";
import { contents, liveIds, seed } from "../harness/imap.js";
import { scenario } from "../harness/mailbox.js";

const messages = scenario(2);
const inbox = messages.filter((m) => m.folder === "INBOX");
const backscatter = inbox
  .filter((m) => m.expect === "move")
  .map((m) => m.messageId)
  .sort();
const staying = inbox
  .filter((m) => m.expect === "stay")
  .map((m) => m.messageId)
  .sort();

async function withMailbox(
  hide: string[],
  fn: (ctx: { open: (fault?: FaultPoint) => ReturnType<typeof createEngine>; accountId: number; d: Awaited<ReturnType<typeof startDovecot>> }) => Promise<void>,
): Promise<void> {
  const d = await startDovecot({ hide });
  const dir = mkdtempSync(join(tmpdir(), "bss-faults-"));
  try {
    await seed(d, messages);
    const secrets = memorySecrets();
    const dbFile = join(dir, "profile.sqlite");
    const open = (fault?: FaultPoint): ReturnType<typeof createEngine> =>
      createEngine({
        db: openDatabase(dbFile),
        secrets,
        fault: (point) => {
          if (point === fault) throw new Error(`simulated crash at ${point}`);
        },
      });
    const account = await open().accountAdd({ account: { host: d.host, port: d.port, security: "plain", user: "alice@example.org" }, secret: "alice-secret" });
    await fn({ open, accountId: account.id, d });
  } finally {
    await d.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function expectExactlyOnce(d: Awaited<ReturnType<typeof startDovecot>>): Promise<void> {
  const all = [...(await contents(d, "INBOX")), ...(await contents(d, "Backscatter"))];
  expect(all.filter((m) => m.flags.includes("\\Deleted"))).toEqual([]);
  expect(all.map((m) => m.messageId).sort()).toEqual(inbox.map((m) => m.messageId).sort());
  expect(await liveIds(d, "Backscatter")).toEqual(backscatter);
  expect(await liveIds(d, "INBOX")).toEqual(staying);
}

describe.each([
  ["with MOVE", [], ["planned", "moving", "commanded"]],
  ["without MOVE (COPY fallback)", ["MOVE"], ["planned", "moving", "copied", "flagged"]],
] as const)("a crash during apply, %s", (_name, hide, points) => {
  it.each(points)("at %s: the next run finishes the job", { timeout: 60_000 }, async (point) => {
    await withMailbox([...hide], async ({ open, accountId, d }) => {
      await expect(open(point).scan({ accountId, apply: true })).rejects.toThrow(/simulated crash/);
      const second = await open().scan({ accountId, apply: true });
      expect(second.errors).toEqual([]);
      await expectExactlyOnce(d);
      const undone = await open().undo({ accountId });
      expect(undone.failed).toEqual([]);
    });
  });
});

describe("UIDVALIDITY", () => {
  it("a change between scans causes no wrong move, and the state is rebuilt", { timeout: 60_000 }, async () => {
    await withMailbox([], async ({ open, accountId, d }) => {
      const dry = await open().scan({ accountId });
      expect(dry.counts.backscatter).toBe(backscatter.length);
      await resetInboxUidvalidity(d);
      const applied = await open().scan({ accountId, apply: true });
      expect(applied.errors).toEqual([]);
      expect(applied.moved).toBe(backscatter.length);
      await expectExactlyOnce(d);
    });
  });
});
