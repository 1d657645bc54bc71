// A message that reached the destination without us (a move the server finished after our run
// was cut off, or the user's other mail program) is recorded where it is, not reported lost —
// and undo can still put it back.
import { describe, expect, it } from "vitest";
import { liveEngine } from "../harness/engine.js";
import { liveIds, seed, withClient } from "../harness/imap.js";
import { scenario } from "../harness/mailbox.js";

const messages = scenario(2);
const live = liveEngine((d) => seed(d, messages));

describe("a message already at the destination", () => {
  it("is recorded as moved, with its UID there; undo puts it back", async () => {
    const { engine, accountId, d } = live;
    await engine.scan({ accountId });
    const target = (await engine.review({ accountId, verdicts: ["backscatter"] }))[0];
    expect(target).toBeDefined();
    await withClient(d, async (c) => {
      await c.mailboxCreate("Backscatter").catch(() => undefined);
      const lock = await c.getMailboxLock("INBOX");
      try {
        const uids = await c.search({ header: { "message-id": target?.messageId ?? "" } }, { uid: true });
        expect(uids).toHaveLength(1);
        await c.messageMove((uids || []).join(","), "Backscatter", { uid: true });
      } finally {
        lock.release();
      }
    });
    const applied = await engine.scan({ accountId, apply: true });
    expect(applied.errors).toEqual([]);
    expect(applied.moved).toBe(messages.filter((m) => m.expect === "move").length);
    const after = (await engine.review({ accountId })).find((i) => i.id === target?.id);
    expect(after).toMatchObject({ state: "moved", destFolder: "Backscatter" });
    expect(after?.destUid).toBeGreaterThan(0);
    const undone = await engine.undo({ accountId, all: true });
    expect(undone.failed).toEqual([]);
    expect(await liveIds(d, "Backscatter")).toEqual([]);
    expect(await liveIds(d, "INBOX")).toContain(target?.messageId);
  });
});
