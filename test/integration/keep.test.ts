// "Not backscatter": keep one item, keep by recipient domain, keep an item already moved — and
// undone moves stay where the user put them.
import { describe, expect, it } from "vitest";
import type { Item } from "../../shared/model.js";
import { liveEngine } from "../harness/engine.js";
import { liveIds, seed } from "../harness/imap.js";
import { dsnBounce, scenario } from "../harness/mailbox.js";

const live = liveEngine((d) => seed(d, scenario(3)));

const backscatter = async (): Promise<Item[]> =>
  (await live.engine.review({ accountId: live.accountId, verdicts: ["backscatter"] })).filter((i) => i.messageId !== null);

describe("keep", () => {
  let kept: Item;
  let keptByDomain: Item;

  it("an item kept before a move stays in the inbox; the rest moves", async () => {
    await live.engine.scan({ accountId: live.accountId });
    const items = await backscatter();
    expect(items.length).toBeGreaterThanOrEqual(3);
    kept = await live.engine.keep({ itemId: items[0]?.id ?? 0 });
    expect(kept.state).toBe("kept");
    const applied = await live.engine.scan({ accountId: live.accountId, apply: true });
    expect(applied.moved).toBe(items.length - 1);
    expect(await liveIds(live.d, "INBOX")).toContain(kept.messageId);
    expect(await liveIds(live.d, "Backscatter")).not.toContain(kept.messageId);
  });

  it("an item already moved is put back when kept, and its recipient's domain is allowed from then on", async () => {
    const moved = (await backscatter()).find((i) => i.state === "moved");
    expect(moved).toBeDefined();
    keptByDomain = await live.engine.keep({ itemId: moved?.id ?? 0, rule: "domain" });
    expect(keptByDomain.state).toBe("kept");
    expect(await liveIds(live.d, "INBOX")).toContain(keptByDomain.messageId);
    expect(await liveIds(live.d, "Backscatter")).not.toContain(keptByDomain.messageId);

    const domain = keptByDomain.recipients[0]?.split("@")[1] ?? "";
    expect(domain).not.toBe("");
    await seed(live.d, [
      {
        folder: "INBOX",
        raw: dsnBounce("later@bounce.example", "never-sent@spam.example", `someone-else@${domain}`, "Cheap watches", 40),
        messageId: "later@bounce.example",
        expect: "stay",
        label: "a bounce about the allowed domain",
      },
    ]);
    const next = await live.engine.scan({ accountId: live.accountId, apply: true });
    expect(next.moved).toBe(0);
    const later = (await live.engine.review({ accountId: live.accountId })).find((i) => i.messageId === "later@bounce.example");
    expect(later).toMatchObject({ verdict: "legit", state: "flagged" });
    expect(later?.reason).toContain(`someone-else@${domain}`);
  });

  it("neither kept item, nor anything undone, is moved by later runs", async () => {
    const undone = await live.engine.undo({ accountId: live.accountId });
    expect(undone.restored).toBeGreaterThan(0);
    const again = await live.engine.scan({ accountId: live.accountId, apply: true });
    expect(again.moved).toBe(0);
    expect(await liveIds(live.d, "Backscatter")).toEqual([]);
    const states = new Map((await live.engine.review({ accountId: live.accountId })).map((i) => [i.id, i.state]));
    expect(states.get(kept.id)).toBe("kept");
    expect(states.get(keptByDomain.id)).toBe("kept");
  });
});
