// Automatic runs (the scheduler's) move only high-confidence backscatter; the user's --apply
// moves every backscatter verdict.
import { describe, expect, it } from "vitest";
import { liveEngine } from "../harness/engine.js";
import { liveIds, seed } from "../harness/imap.js";
import { dsnBounce, scenario, type SeedMessage } from "../harness/mailbox.js";

const messages: SeedMessage[] = [];
/** Forged, but about a friend the user writes to and with an ID in the user's own domain: low confidence. */
const doubtful: SeedMessage = {
  folder: "INBOX",
  raw: dsnBounce("doubtful@mx.remote.example", "forged-lookalike@example.org", "friend0@remote.example", "Cheap pills", 150),
  messageId: "doubtful@mx.remote.example",
  expect: "move",
  label: "backscatter that looks like the user's own mail",
};

const live = liveEngine(async (d) => {
  messages.push(...scenario(2), doubtful);
  await seed(d, messages);
});

describe("confidence gates automatic moves only", () => {
  it("an automatic run moves the high-confidence backscatter and leaves the doubtful one for review", async () => {
    const r = await live.engine.scan({ accountId: live.accountId, automatic: true });
    const item = (await live.engine.review({ accountId: live.accountId })).find((i) => i.messageId === doubtful.messageId);
    expect(item).toMatchObject({ verdict: "backscatter", state: "flagged" });
    expect(item?.confidence).not.toBe("high");
    const sure = messages
      .filter((m) => m.expect === "move" && m !== doubtful)
      .map((m) => m.messageId)
      .sort();
    expect(r.moved).toBe(sure.length);
    expect(await liveIds(live.d, "Backscatter")).toEqual(sure);
    expect(await liveIds(live.d, "INBOX")).toContain(doubtful.messageId);
  });

  it("the user's --apply moves it too", async () => {
    const r = await live.engine.scan({ accountId: live.accountId, apply: true });
    expect(r.moved).toBe(1);
    expect(await liveIds(live.d, "Backscatter")).toContain(doubtful.messageId);
  });
});
