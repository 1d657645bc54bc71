// Cancelling a scan: it stops between chunks with "Cancelled.", nothing is half-written, and the
// next scan finishes the work.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Progress } from "../../shared/model.js";
import { openDatabase } from "../../electron/engine/db/open.js";
import { createEngine, type Engine } from "../../electron/engine/index.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { startDovecot, writeMaildir, type Dovecot } from "../harness/dovecot.js";
import { generateMailbox } from "../harness/generate.js";
import { liveIds } from "../harness/imap.js";

let d: Dovecot;
let dir: string;
let engine: Engine;
let accountId: number;
const seen: Progress[] = [];
let cancelOnTriage = true;

beforeAll(async () => {
  d = await startDovecot();
  const box = generateMailbox(12_000, 200, 7);
  writeMaildir(d, "Sent", box.sent.map((m) => m.raw));
  writeMaildir(d, "INBOX", box.inbox.map((m) => m.raw));
  dir = mkdtempSync(join(tmpdir(), "bss-cancel-"));
  engine = createEngine({
    db: openDatabase(join(dir, "profile.sqlite")),
    secrets: memorySecrets(),
    emit: (_event, p) => {
      seen.push(p);
      if (cancelOnTriage && p.phase === "triage") void engine.cancel({});
    },
  });
  accountId = (await engine.accountAdd({ account: { host: d.host, port: d.port, security: "plain", user: "alice@example.org" }, secret: "alice-secret" })).id;
}, 120_000);
afterAll(async () => {
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("cancel", () => {
  it("stops a scan after the chunk under way, and says so", { timeout: 120_000 }, async () => {
    await expect(engine.scan({ accountId, apply: true })).rejects.toThrow("Cancelled.");
    const triage = seen.filter((p) => p.phase === "triage");
    expect(triage).toHaveLength(1);
    expect(triage[0]?.done).toBeLessThan(triage[0]?.total ?? 0);
    expect(await liveIds(d, "Backscatter")).toEqual([]);
  });

  it("the next scan finishes the work", { timeout: 120_000 }, async () => {
    cancelOnTriage = false;
    const r = await engine.scan({ accountId });
    expect(r.scanned).toBe(12_000);
    expect(r.unchangedFolders).toEqual([]);
    expect(r.counts.backscatter).toBeGreaterThan(2_500);
  });
});
