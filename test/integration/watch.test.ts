// `watch` (the real CLI, as its own process) against Dovecot: 200 messages appended at 5 a second
// with every connection cut in the middle, a burst of 500 in one APPEND, and SIGKILLs at random
// moments of sweeping bursts, then a restart. Each time: every backscatter message moved, legit
// bounces and ordinary mail left, every message exactly once and none flagged \Deleted.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startDovecot, writeMailbox, writeMaildir, type Dovecot } from "../harness/dovecot.js";
import { engineFor } from "../harness/engine.js";
import { generateMailbox, prng } from "../harness/generate.js";
import { contents, multiAppend, withClient } from "../harness/imap.js";
import { expectedOf } from "../harness/mailbox.js";
import { REPO_ROOT } from "../harness/paths.js";
import { startProxy } from "../harness/proxy.js";
import { watchOn } from "../harness/watch.js";

const BIN = join(REPO_ROOT, "bin", "backscatter-sweeper.js");

interface Watching {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWatch(d: Dovecot, port: number, db: string): Watching {
  const url = `imap://alice%40example.org@127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BIN, "watch", url, "--password-env", "BSS_PW", "--apply", "--json", "--db", db], {
    env: { ...process.env, BSS_PW: d.users["alice@example.org"] ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    const whole = out.split("\n");
    out = whole.pop() ?? "";
    for (const line of whole) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, stderr: () => err, exited };
}

async function until(what: string, done: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Message-ID → how many copies are in INBOX and the destination (flagged \Deleted: none may be). */
async function copies(d: Dovecot): Promise<{ inbox: string[]; moved: string[]; deleted: number }> {
  const inbox = await contents(d, "INBOX");
  const dest = await contents(d, "Backscatter");
  const live = (l: typeof inbox): string[] =>
    l
      .filter((m) => !m.flags.includes("\\Deleted"))
      .map((m) => m.messageId)
      .sort();
  return { inbox: live(inbox), moved: live(dest), deleted: [...inbox, ...dest].filter((m) => m.flags.includes("\\Deleted")).length };
}

describe("watch: sweeping new mail as it arrives", () => {
  let d: Dovecot;
  let dir: string;
  const watches: Watching[] = [];
  beforeEach(async () => {
    d = await startDovecot();
    dir = mkdtempSync(join(tmpdir(), "bss-watch-"));
  }, 60_000);
  afterEach(async () => {
    for (const w of watches.splice(0)) w.child.kill("SIGKILL");
    await d.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sent written, then the watch started; resolves once it says it is watching. */
  async function prepare(inboxCount: number, seed: number, port?: number): Promise<{ w: Watching; box: ReturnType<typeof generateMailbox> }> {
    const box = generateMailbox(inboxCount, 400, seed);
    writeMailbox(d, { sent: box.sent, inbox: [] });
    const w = startWatch(d, port ?? d.port, join(dir, "profile.sqlite"));
    watches.push(w);
    await until("the watch to start", () => w.stderr().includes("Watching alice@example.org's INBOX"), 30_000);
    return { w, box };
  }

  async function stopAndCheck(w: Watching, box: ReturnType<typeof generateMailbox>): Promise<void> {
    const { moving, staying } = expectedOf([...box.sent, ...box.inbox]);
    await until("every backscatter message moved", async () => (await copies(d)).moved.length >= moving.length, 60_000);
    w.child.kill("SIGTERM");
    expect(await w.exited).toEqual({ code: 0, signal: null });
    expect(w.stderr()).toMatch(/Stopped watching\.\n$/);
    const now = await copies(d);
    expect(now.moved).toEqual(moving);
    expect(now.inbox).toEqual(staying);
    expect(now.deleted).toBe(0);
  }

  it("sweeps 200 messages appended at 5 a second, with every connection cut in the middle", async () => {
    const proxy = await startProxy({ host: d.host, port: d.port });
    try {
      const { w, box } = await prepare(200, 7, proxy.port);
      await withClient(d, async (c) => {
        for (const [i, m] of box.inbox.entries()) {
          if (i === 100) proxy.cutAll();
          expect(await c.append("INBOX", m.raw)).toBeTruthy();
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      });
      await stopAndCheck(w, box);
      expect(proxy.cuts).toBeGreaterThan(0);
      expect(w.stderr()).toMatch(/Trying again in \d+ s; nothing is lost meanwhile\./);
      const moved = w.lines.filter((l) => l["moved"] === true);
      expect(moved.map((l) => l["messageId"]).sort()).toEqual(expectedOf(box.inbox).moving);
      for (const l of moved) {
        expect(Object.keys(l).sort()).toEqual(["at", "destUid", "folder", "messageId", "moved", "uid", "verdict"]);
        expect(l).toMatchObject({ folder: "INBOX", verdict: "backscatter" });
        expect(typeof l["destUid"]).toBe("number");
      }
    } finally {
      await proxy.close();
    }
  }, 180_000);

  it("sweeps a burst of 500 that arrives in one APPEND", async () => {
    const { w, box } = await prepare(500, 11);
    await multiAppend(
      d,
      "INBOX",
      box.inbox.map((m) => m.raw),
    );
    await stopAndCheck(w, box);
    expect(w.lines.filter((l) => l["moved"] === true)).toHaveLength(expectedOf(box.inbox).moving.length);
  }, 180_000);

  it("loses nothing and moves nothing twice when killed with SIGKILL while sweeping bursts, and started again", async () => {
    const box = generateMailbox(400, 400, 13);
    writeMailbox(d, { sent: box.sent, inbox: [] });
    const db = join(dir, "profile.sqlite");
    const rnd = prng(5);
    let killedBeforeReport = 0;
    for (let round = 0; round < 4; round++) {
      const w = startWatch(d, d.port, db);
      watches.push(w);
      await until("the watch to start", () => w.stderr().includes("Watching"), 30_000);
      const burst = box.inbox.slice(round * 100, (round + 1) * 100);
      await multiAppend(
        d,
        "INBOX",
        burst.map((m) => m.raw),
      );
      await new Promise((resolve) => setTimeout(resolve, rnd() * 400));
      w.child.kill("SIGKILL");
      await w.exited;
      if (!w.lines.some((l) => burst.some((m) => m.messageId === l["messageId"]))) killedBeforeReport++;
      const now = await copies(d);
      const present = new Set([...now.inbox, ...now.moved]);
      for (const m of box.inbox.slice(0, (round + 1) * 100)) expect(present.has(m.messageId), `${m.messageId} lost after a kill`).toBe(true);
    }
    expect(killedBeforeReport, "no kill came before a burst's sweep had reported").toBeGreaterThan(0);
    const again = startWatch(d, d.port, db);
    watches.push(again);
    await until("the watch to start", () => again.stderr().includes("Watching"), 30_000);
    await stopAndCheck(again, box);
  }, 180_000);

  it("polls instead of holding a connection when the server allows only one, and says so", async () => {
    await d.stop();
    d = await startDovecot({ maxConnections: 1 });
    const box = generateMailbox(60, 100, 17);
    writeMailbox(d, { sent: box.sent, inbox: [] });
    const { engine, accountId, dispose } = await engineFor(d, { retry: { attempts: 2, baseMs: 10, maxMs: 10 } });
    const watching = watchOn(engine, accountId, { pollMs: 300 });
    const { notices } = watching;
    const moved = (): Set<string> => new Set(watching.sweeps.flatMap((sw) => sw.items.filter((i) => i.state === "moved").map((i) => i.messageId ?? "")));
    try {
      // The only connection the server allows is the watch's own: mail arrives by delivery, not by APPEND.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      writeMaildir(
        d,
        "INBOX",
        box.inbox.map((m) => m.raw),
      );
      await until("the notice", () => notices.length > 0, 30_000);
      expect(notices[0]).toMatch(/^127\.0\.0\.1 allows no second connection for alice@example\.org, so new mail is looked for every \d+ minutes/);
      const { moving } = expectedOf(box.inbox);
      // Looked at once the watch has stopped: the test has no connection of its own meanwhile.
      await until("every backscatter message moved", () => moved().size >= moving.length, 30_000);
      await watching.stop();
      expect((await copies(d)).moved).toEqual(moving);
      expect(notices.some((n) => /password/.test(n))).toBe(false);
    } finally {
      await watching.stop();
      dispose();
    }
  }, 120_000);
});
