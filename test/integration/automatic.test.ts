// Automatic runs (the scheduler's) move only high-confidence backscatter; the user's --apply
// moves every backscatter verdict.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../electron/engine/db/open.js";
import { createEngine, type Engine } from "../../electron/engine/index.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { liveIds, seed } from "../harness/imap.js";
import { dsnBounce, scenario, type SeedMessage } from "../harness/mailbox.js";

let d: Dovecot;
let dir: string;
let engine: Engine;
let accountId: number;
let messages: SeedMessage[];
/** Forged, but about a friend the user writes to and with an ID in the user's own domain: low confidence. */
const doubtful: SeedMessage = {
  folder: "INBOX",
  raw: dsnBounce("doubtful@mx.remote.example", "forged-lookalike@example.org", "friend0@remote.example", "Cheap pills", 150),
  messageId: "doubtful@mx.remote.example",
  expect: "move",
  label: "backscatter that looks like the user's own mail",
};

beforeAll(async () => {
  d = await startDovecot();
  messages = [...scenario(2), doubtful];
  await seed(d, messages);
  dir = mkdtempSync(join(tmpdir(), "bss-auto-"));
  engine = createEngine({ db: openDatabase(join(dir, "profile.sqlite")), secrets: memorySecrets() });
  accountId = (await engine.accountAdd({ account: { host: d.host, port: d.port, security: "plain", user: "alice@example.org" }, secret: "alice-secret" })).id;
}, 60_000);
afterAll(async () => {
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("confidence gates automatic moves only", () => {
  it("an automatic run moves the high-confidence backscatter and leaves the doubtful one for review", async () => {
    const r = await engine.scan({ accountId, automatic: true });
    const item = (await engine.review({ accountId })).find((i) => i.messageId === doubtful.messageId);
    expect(item).toMatchObject({ verdict: "backscatter", state: "flagged" });
    expect(item?.confidence).not.toBe("high");
    const sure = messages.filter((m) => m.expect === "move" && m !== doubtful).map((m) => m.messageId).sort();
    expect(r.moved).toBe(sure.length);
    expect(await liveIds(d, "Backscatter")).toEqual(sure);
    expect(await liveIds(d, "INBOX")).toContain(doubtful.messageId);
  });

  it("the user's --apply moves it too", async () => {
    const r = await engine.scan({ accountId, apply: true });
    expect(r.moved).toBe(1);
    expect(await liveIds(d, "Backscatter")).toContain(doubtful.messageId);
  });
});
