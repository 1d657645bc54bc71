// Servers laid out as cPanel/Courier do it: everything under "INBOX." with "." as separator, no
// SPECIAL-USE, the sent folder called "Sent Items". The sent folder is found by name, and the
// destination is created in the personal namespace with the server's delimiter, and subscribed.
import { describe, expect, it } from "vitest";
import { liveEngine } from "../harness/engine.js";
import { liveIds, seed, withClient } from "../harness/imap.js";
import { scenario } from "../harness/mailbox.js";

const messages = scenario(2);

// SeedMessage names the folder by role; on this server the sent folder is "INBOX.Sent Items".
const live = liveEngine(
  (d) =>
    seed(
      d,
      messages.map((m) => (m.folder === "Sent" ? { ...m, folder: "INBOX.Sent Items" as "Sent" } : m)),
    ),
  { layout: "courier" },
);

describe("a Courier-style server (INBOX. prefix, '.' separator, no SPECIAL-USE)", () => {
  it("finds the sent folder by its name", async () => {
    const test = await live.engine.accountTest({ accountId: live.accountId });
    expect(test).toMatchObject({ ok: true, sentFolders: ["INBOX.Sent Items"] });
    const index = await live.engine.index({ accountId: live.accountId });
    expect(index.total).toBe(messages.filter((m) => m.folder === "Sent").length);
  });

  it("creates INBOX.Backscatter, subscribes it, and moves exactly the backscatter there", async () => {
    const r = await live.engine.scan({ accountId: live.accountId, apply: true });
    const expected = messages
      .filter((m) => m.expect === "move")
      .map((m) => m.messageId)
      .sort();
    expect(r.moved).toBe(expected.length);
    expect(await liveIds(live.d, "INBOX.Backscatter")).toEqual(expected);
    const subscribed = await withClient(live.d, async (c) => (await c.list()).filter((f) => f.subscribed).map((f) => f.path));
    expect(subscribed).toContain("INBOX.Backscatter");
    expect(await liveIds(live.d, "INBOX")).toEqual(
      messages
        .filter((m) => m.folder === "INBOX" && m.expect === "stay")
        .map((m) => m.messageId)
        .sort(),
    );
  });
});
