// Dropped connections: a loopback proxy between the engine and Dovecot cuts connections at
// random byte offsets during index, scan and move (and undo). The engine reconnects with backoff
// and finishes (a cut read-ahead connection is not even a reconnect: the scanner reads on by
// itself): afterwards every message is there exactly once, the destination holds exactly the
// backscatter, the index is complete, and undo restores everything.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../electron/engine/db/open.js";
import { createEngine, type Engine } from "../../electron/engine/index.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { type Dovecot, startDovecot, writeMailbox } from "../harness/dovecot.js";
import { generateMailbox, prng } from "../harness/generate.js";
import { contents } from "../harness/imap.js";
import { READ_AHEAD_WORKER } from "../harness/paths.js";
import { startProxy, type Proxy } from "../harness/proxy.js";

/** Cuts per phase (index, scan --apply, undo): 3 × 15 in CI; `npm run chaos` sets more. */
const DROPS = Number(process.env["BSS_DROPS"] ?? 15);

const box = generateMailbox(1_500, 300, 7);
const backscatter = new Set(box.inbox.filter((m) => m.expect === "move").map((m) => m.messageId));
let d: Dovecot;
let proxy: Proxy;
let dir: string;
let engine: Engine;
let db: Db;
let accountId: number;
/** How the proxy treats the next connection; each phase sets its own. */
let cutNext: () => number | null = () => null;

beforeAll(async () => {
  d = await startDovecot();
  writeMailbox(d, box);
  proxy = await startProxy(d, { cutAfter: () => cutNext() });
  dir = mkdtempSync(join(tmpdir(), "bss-drops-"));
  db = openDatabase(join(dir, "profile.sqlite"));
  // Reading ahead from 500 messages: the cuts also land on the read-ahead worker's connection.
  engine = createEngine({
    db,
    secrets: memorySecrets(),
    retry: { attempts: 5, baseMs: 20, maxMs: 200 },
    readAhead: { fromMessages: 500, worker: READ_AHEAD_WORKER },
    searchPass: false,
  });
  accountId = (
    await engine.accountAdd({ account: { host: "127.0.0.1", port: proxy.port, security: "plain", user: "alice@example.org" }, secret: "alice-secret" })
  ).id;
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Cuts the connections of `operation` at random byte offsets until `drops` cuts happened, running
 * it again whenever it gives up (as the scheduler or the user would): each give-up must say in
 * words that the connection was lost. Returns the last, successful result and the cuts made.
 */
async function underDrops<T extends { warnings: string[] }>(
  seed: number,
  drops: number,
  operation: () => Promise<T>,
): Promise<{ result: T; cuts: number; reconnected: boolean }> {
  const rnd = prng(seed);
  const start = proxy.cuts;
  // Offsets up to what a whole run read last (a guess at first), so the cuts land inside the work.
  let runBytes = 400_000;
  cutNext = () => (proxy.cuts - start < drops && rnd() < 0.7 ? 60 + Math.floor(rnd() * runBytes) : null);
  let reconnected = false;
  for (let run = 0; ; run++) {
    expect(run, "the operation never finished").toBeLessThan(drops + 5);
    try {
      const before = proxy.bytes;
      const result = await operation();
      runBytes = Math.max(200, proxy.bytes - before);
      reconnected ||= result.warnings.some((w) => /reconnected/.test(w));
      if (proxy.cuts - start >= drops) {
        cutNext = () => null;
        return { result, cuts: proxy.cuts - start, reconnected };
      }
    } catch (error) {
      expect(String(error)).toMatch(/connection to 127\.0\.0\.1:\d+ was lost/);
    }
  }
}

async function census(): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for (const folder of ["INBOX", "Backscatter"])
    for (const p of await contents(d, folder))
      if (!p.flags.includes("\\Deleted")) m.set(`${folder}:${p.messageId}`, (m.get(`${folder}:${p.messageId}`) ?? 0) + 1);
  return m;
}

describe("connections cut at random byte offsets", () => {
  it("index, scan --apply and undo all finish correctly: no duplicate move, no message lost", { timeout: 600_000 }, async () => {
    const index = await underDrops(1, DROPS, async () => {
      // The index from scratch each time round, so every round has work for the cuts to interrupt.
      db.prepare("DELETE FROM folder_state WHERE role = 'sent'").run();
      return engine.index({ accountId });
    });
    expect(index.result.total).toBe(box.sent.length);

    const scan = await underDrops(2, DROPS, async () => {
      const r = await engine.scan({ accountId, apply: true });
      expect(r.errors).toEqual([]);
      return r;
    });
    const after = await census();
    for (const m of box.inbox) {
      const where = backscatter.has(m.messageId) ? "Backscatter" : "INBOX";
      expect(after.get(`${where}:${m.messageId}`), `${m.label} ${m.messageId} in ${where}`).toBe(1);
      expect(after.has(`${where === "INBOX" ? "Backscatter" : "INBOX"}:${m.messageId}`), `${m.messageId} also elsewhere`).toBe(false);
    }
    expect(engine.store.itemsWith(accountId, "backscatter", "moved")).toHaveLength(backscatter.size);

    const undo = await underDrops(3, DROPS, () => engine.undo({ accountId, all: true }));
    expect(undo.result.failed).toEqual([]);
    const restored = await census();
    for (const m of box.inbox) expect(restored.get(`INBOX:${m.messageId}`), m.messageId).toBe(1);
    expect([...restored.keys()].filter((k) => k.startsWith("Backscatter:"))).toEqual([]);

    expect(index.cuts + scan.cuts + undo.cuts).toBe(3 * DROPS);
    expect(index.reconnected || scan.reconnected || undo.reconnected).toBe(true);
  });
});
