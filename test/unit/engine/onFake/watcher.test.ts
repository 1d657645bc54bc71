// Watching on the in-memory IMAP server: arrivals swept by the scan's own path, a dropped waiting
// connection, a server that allows no second connection, a wrong password, a flood said once and
// its end, and a stop that finishes the sweep in hand.
import { describe, expect, it } from "vitest";
import { ImapError } from "../../../../electron/engine/imap/errors.js";
import type { WatchDeps } from "../../../../electron/engine/watch/watcher.js";
import { fakeEngines, type FakeSetup } from "../../../harness/fakeEngine.js";
import { dsnBounce, expectedOf, scenario } from "../../../harness/mailbox.js";
import { watchOn, type Watching } from "../../../harness/watch.js";

const setup = fakeEngines();
const messages = scenario(2);
const sent = messages.filter((m) => m.folder === "Sent");
const inbox = messages.filter((m) => m.folder === "INBOX");
const { moving, staying } = expectedOf(messages);

async function until(what: string, done: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const watch = (s: FakeSetup, over: Partial<WatchDeps> = {}): Watching => watchOn(s.engine, s.accountId, over);

const movedIds = (w: Watching): string[] =>
  w.sweeps
    .flatMap((s) => s.items)
    .filter((i) => i.state === "moved")
    .map((i) => i.messageId ?? "")
    .sort();

describe("watching an account", () => {
  it("sweeps each arrival as a scan would: the backscatter moved, legit bounces and ordinary mail left", async () => {
    const s = await setup(sent);
    const w = watch(s);
    await until("the first sweep and the wait", () => w.sweeps.length === 1 && s.server.commands.some((c) => c.startsWith("IDLE")));
    for (const m of inbox) s.server.append("INBOX", m.raw);
    await until("every backscatter message moved", () => s.server.liveIds("Backscatter").length === moving.length);
    await w.stop();
    expect(s.server.liveIds("Backscatter")).toEqual(moving);
    expect(s.server.liveIds("INBOX")).toEqual(staying);
    expect(movedIds(w)).toEqual(moving);
    expect(w.sweeps.every((sw) => sw.summary.errors.length === 0)).toBe(true);
    expect(w.notices).toEqual([]);
  });

  it("opens a dropped waiting connection again and sweeps what arrived meanwhile", async () => {
    const s = await setup(sent);
    const w = watch(s);
    await until("the wait", () => s.sessions.some((x) => !x.closed && s.server.commands.some((c) => c.startsWith("IDLE"))));
    for (const x of s.sessions.filter((x) => !x.closed)) x.drop();
    for (const m of inbox) s.server.append("INBOX", m.raw);
    await until("every backscatter message moved", () => s.server.liveIds("Backscatter").length === moving.length);
    await w.stop();
    expect(s.server.liveIds("INBOX")).toEqual(staying);
    expect(w.notices.some((n) => /lost/.test(n) && /nothing is lost/.test(n))).toBe(true);
  });

  it("looks at the schedule's interval instead when the server allows no second connection", async () => {
    const s = await setup(sent);
    const refuse = async (): Promise<never> => {
      throw new ImapError("limit", "imap.fake.example takes no more connections for alice@example.org right now.");
    };
    const w = watch(s, { connect: refuse, pollMs: 20 });
    await until("the notice", () => w.notices.length > 0);
    expect(w.notices[0]).toMatch(/allows no second connection for alice@example.org/);
    for (const m of inbox) s.server.append("INBOX", m.raw);
    await until("every backscatter message moved", () => s.server.liveIds("Backscatter").length === moving.length);
    await w.stop();
    expect(s.server.liveIds("INBOX")).toEqual(staying);
    expect(w.notices).toHaveLength(1);
  });

  it("after a wake from sleep (the clock jumped), drops the waiting connection, opens another and sweeps what came meanwhile", async () => {
    const s = await setup(sent);
    let clock = Date.UTC(2026, 11, 6, 2);
    const w = watch(s, { now: () => clock, heartbeatMs: 10 });
    await until("the wait", () => s.server.commands.some((c) => c.startsWith("IDLE")));
    const before = s.sessions.filter((x) => !x.closed);
    expect(before).toHaveLength(1);
    // Asleep for two hours: the wait never ended (the server dropped the connection without a word).
    expect(w.sweeps).toHaveLength(1);
    clock += 2 * 3_600_000;
    await until("the old connection dropped and a new one waiting", () => before[0]?.closed === true && s.sessions.filter((x) => !x.closed).length === 1);
    await until("a sweep after the wake", () => w.sweeps.length === 2);
    for (const m of inbox) s.server.append("INBOX", m.raw);
    await until("every backscatter message moved", () => s.server.liveIds("Backscatter").length === moving.length);
    await w.stop();
    expect(w.notices).toEqual([]);
  });

  it("stops with the error when the password is refused", async () => {
    const s = await setup(sent);
    const refused = new ImapError("credentials", "The server at imap.fake.example refused the user name or password for alice@example.org.");
    const w = watch(s, { scan: () => Promise.reject(refused) });
    await expect(w.done).rejects.toBe(refused);
  });

  it("says once that a flood started, not for the backlog it starts with, and again when it has faded", async () => {
    const backlog = Array.from({ length: 40 }, (_, i) => ({
      folder: "INBOX" as const,
      raw: dsnBounce(`old-${i}@mx.example`, `forged-old-${i}@spam.example`, `v${i}@target.example`, "Old pills", i),
      messageId: `old-${i}@mx.example`,
      expect: "move" as const,
      label: "backlog",
    }));
    const s = await setup([...sent, ...backlog]);
    let clock = Date.UTC(2026, 11, 6, 14, 2);
    const w = watch(s, { now: () => clock, idleMs: 20 });
    await until("the backlog swept", () => w.sweeps.length >= 1);
    expect(w.floods).toEqual([]);
    for (let i = 0; i < 35; i++) s.server.append("INBOX", dsnBounce(`new-${i}@mx.example`, `forged-new-${i}@spam.example`, `n${i}@target.example`, "Pills", i));
    await until("the flood", () => w.floods.length === 1);
    expect(w.floods[0]).toMatchObject({ kind: "started", found: 35, swept: 35 });
    expect(w.floods[0]?.text).toMatch(/^A flood of backscatter started at \d\d:\d\d: 35 swept so far\.$/);
    clock += 2 * 3_600_000;
    await until("its end", () => w.floods.length === 2);
    await w.stop();
    expect(w.floods[1]).toMatchObject({ kind: "ended", found: 35, swept: 35 });
    expect(w.floods[1]?.text).toMatch(/has faded: 35 arrived, 35 swept\.$/);
  });

  it("finishes the sweep in hand when stopped, and then holds no connection", async () => {
    const s = await setup(sent);
    let release: (() => void) | null = null;
    const w = watch(s, {
      scan: async (a) => {
        if (w.sweeps.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return s.engine.scan(a);
      },
    });
    await until("the first sweep", () => w.sweeps.length === 1);
    for (const m of inbox) s.server.append("INBOX", m.raw);
    await until("the second sweep to start", () => release !== null);
    const stopping = w.stop();
    (release as (() => void) | null)?.();
    await stopping;
    expect(w.sweeps).toHaveLength(2);
    expect(s.server.liveIds("Backscatter")).toEqual(moving);
    expect(s.sessions.every((x) => x.closed)).toBe(true);
  });
});
