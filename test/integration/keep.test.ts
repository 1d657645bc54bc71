// "Not backscatter": keep one item, keep by recipient domain, keep an item already moved — and
// undone moves stay where the user put them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlaggedItem } from "../../shared/model.js";
import { openDatabase } from "../../electron/engine/db/open.js";
import { createEngine, type Engine } from "../../electron/engine/index.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { liveIds, seed } from "../harness/imap.js";
import { dsnBounce, scenario } from "../harness/mailbox.js";

let d: Dovecot;
let dir: string;
let engine: Engine;
let accountId: number;

beforeAll(async () => {
  d = await startDovecot();
  await seed(d, scenario(3));
  dir = mkdtempSync(join(tmpdir(), "bss-keep-"));
  engine = createEngine({ db: openDatabase(join(dir, "profile.sqlite")), secrets: memorySecrets() });
  accountId = (await engine.accountAdd({ account: { host: d.host, port: d.port, security: "plain", user: "alice@example.org" }, secret: "alice-secret" })).id;
}, 60_000);
afterAll(async () => {
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const backscatter = async (): Promise<FlaggedItem[]> => (await engine.review({ accountId, verdicts: ["backscatter"] })).filter((i) => i.messageId !== null);

describe("keep", () => {
  let kept: FlaggedItem;
  let keptByDomain: FlaggedItem;

  it("an item kept before a move stays in the inbox; the rest moves", async () => {
    await engine.scan({ accountId });
    const items = await backscatter();
    expect(items.length).toBeGreaterThanOrEqual(3);
    kept = await engine.keep({ itemId: items[0]?.id ?? 0 });
    expect(kept.state).toBe("kept");
    const applied = await engine.scan({ accountId, apply: true });
    expect(applied.moved).toBe(items.length - 1);
    expect(await liveIds(d, "INBOX")).toContain(kept.messageId);
    expect(await liveIds(d, "Backscatter")).not.toContain(kept.messageId);
  });

  it("an item already moved is put back when kept, and its recipient's domain is allowed from then on", async () => {
    const moved = (await backscatter()).find((i) => i.state === "moved");
    expect(moved).toBeDefined();
    keptByDomain = await engine.keep({ itemId: moved?.id ?? 0, rule: "domain" });
    expect(keptByDomain.state).toBe("kept");
    expect(await liveIds(d, "INBOX")).toContain(keptByDomain.messageId);
    expect(await liveIds(d, "Backscatter")).not.toContain(keptByDomain.messageId);

    const domain = keptByDomain.recipients[0]?.split("@")[1] ?? "";
    expect(domain).not.toBe("");
    await seed(d, [{ folder: "INBOX", raw: dsnBounce("later@bounce.example", "never-sent@spam.example", `someone-else@${domain}`, "Cheap watches", 40), messageId: "later@bounce.example", expect: "stay", label: "a bounce about the allowed domain" }]);
    const next = await engine.scan({ accountId, apply: true });
    expect(next.moved).toBe(0);
    const later = (await engine.review({ accountId })).find((i) => i.messageId === "later@bounce.example");
    expect(later).toMatchObject({ verdict: "legit", state: "flagged" });
    expect(later?.reason).toContain(`someone-else@${domain}`);
  });

  it("neither kept item, nor anything undone, is moved by later runs", async () => {
    const undone = await engine.undo({ accountId });
    expect(undone.moved).toBeGreaterThan(0);
    const again = await engine.scan({ accountId, apply: true });
    expect(again.moved).toBe(0);
    expect(await liveIds(d, "Backscatter")).toEqual([]);
    const states = new Map((await engine.review({ accountId })).map((i) => [i.id, i.state]));
    expect(states.get(kept.id)).toBe("kept");
    expect(states.get(keptByDomain.id)).toBe("kept");
  });
});
