// Servers laid out as cPanel/Courier do it: everything under "INBOX." with "." as separator, no
// SPECIAL-USE, the sent folder called "Sent Items". The sent folder is found by name, and the
// destination is created in the personal namespace with the server's delimiter, and subscribed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../electron/engine/db/open.js";
import { createEngine, type Engine } from "../../electron/engine/index.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { liveIds, seed, withClient } from "../harness/imap.js";
import { scenario, type SeedMessage } from "../harness/mailbox.js";

let d: Dovecot;
let dir: string;
let engine: Engine;
let accountId: number;
let messages: SeedMessage[];

beforeAll(async () => {
  d = await startDovecot({ layout: "courier" });
  messages = scenario(2);
  // SeedMessage names the folder by role; on this server the sent folder is "INBOX.Sent Items".
  await seed(d, messages.map((m) => (m.folder === "Sent" ? { ...m, folder: "INBOX.Sent Items" as "Sent" } : m)));
  dir = mkdtempSync(join(tmpdir(), "bss-layout-"));
  engine = createEngine({ db: openDatabase(join(dir, "profile.sqlite")), secrets: memorySecrets() });
  accountId = (await engine.accountAdd({ account: { host: d.host, port: d.port, security: "plain", user: "alice@example.org" }, secret: "alice-secret" })).id;
}, 60_000);
afterAll(async () => {
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("a Courier-style server (INBOX. prefix, '.' separator, no SPECIAL-USE)", () => {
  it("finds the sent folder by its name", async () => {
    const test = await engine.accountTest({ accountId });
    expect(test).toMatchObject({ ok: true, sentFolders: ["INBOX.Sent Items"] });
    const index = await engine.index({ accountId });
    expect(index.total).toBe(messages.filter((m) => m.folder === "Sent").length);
  });

  it("creates INBOX.Backscatter, subscribes it, and moves exactly the backscatter there", async () => {
    const r = await engine.scan({ accountId, apply: true });
    const expected = messages.filter((m) => m.expect === "move").map((m) => m.messageId).sort();
    expect(r.moved).toBe(expected.length);
    expect(await liveIds(d, "INBOX.Backscatter")).toEqual(expected);
    const subscribed = await withClient(d, async (c) => (await c.list()).filter((f) => f.subscribed).map((f) => f.path));
    expect(subscribed).toContain("INBOX.Backscatter");
    expect(await liveIds(d, "INBOX")).toEqual(messages.filter((m) => m.folder === "INBOX" && m.expect === "stay").map((m) => m.messageId).sort());
  });
});
