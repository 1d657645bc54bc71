// The app's watches (watch/watching.ts) on the in-memory IMAP server: one per account that asks
// for it and had its first scan, restarted when its settings change, paused with the schedule,
// never started again once stopped, and reporting sweeps and mode changes as events.
import { describe, expect, it } from "vitest";
import type { EngineEvents } from "../../../../shared/api.js";
import { ImapError } from "../../../../electron/engine/imap/errors.js";
import { createWatching, type Watching } from "../../../../electron/engine/watch/watching.js";
import { fakeEngines, type FakeSetup } from "../../../harness/fakeEngine.js";
import { expectedOf, scenario } from "../../../harness/mailbox.js";

const setup = fakeEngines();
const messages = scenario(2);
const sent = messages.filter((m) => m.folder === "Sent");
const inbox = messages.filter((m) => m.folder === "INBOX");

async function until(what: string, done: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

type Event = { [K in keyof EngineEvents]: { event: K; payload: EngineEvents[K] } }[keyof EngineEvents];

function watchingOf(s: FakeSetup, scanned: Set<number>, scan = s.engine.scan): { watching: Watching; events: Event[] } {
  const events: Event[] = [];
  const watching = createWatching({
    engine: { scan, connect: (id) => s.engine.connect(id) },
    scanned: (id) => scanned.has(id),
    emit: (event, payload) => events.push({ event, payload } as Event),
    tuning: { retry: { baseMs: 1, maxMs: 5 } },
  });
  return { watching, events };
}

const waits = (s: FakeSetup): number => s.sessions.filter((x) => !x.closed).length;

describe("the app's watches", () => {
  it("start once the account had its first scan, sweep arrivals as its automatic-move setting says, and report them", async () => {
    const s = await setup(sent);
    const scanned = new Set<number>();
    const { watching, events } = watchingOf(s, scanned);
    const account = () => s.engine.store.accounts();
    watching.sync(account());
    expect(watching.state(s.accountId)).toBeNull();
    scanned.add(s.accountId);
    await s.engine.accountUpdate({ accountId: s.accountId, changes: { autoMove: "high" } });
    watching.sync(account());
    await until("watching", () => watching.state(s.accountId)?.mode === "watching");
    expect(events.filter((e) => e.event === "watch").map((e) => e.payload)).toEqual([
      { accountId: s.accountId, state: expect.objectContaining({ mode: "watching" }) },
    ]);
    for (const m of inbox) s.server.append("INBOX", m.raw);
    const { moving } = expectedOf(messages);
    await until("the backscatter moved", () => s.server.liveIds("Backscatter").length === moving.length);
    await until("the report", () => events.some((e) => e.event === "background"));
    const report = events.find((e) => e.event === "background")?.payload;
    expect(report).toMatchObject({ accountId: s.accountId, source: "watch", error: null, flood: null });
    expect(report && "text" in report ? report.text : "").toMatch(/backscatter moved/);
    expect(watching.state(s.accountId)?.lastSweep?.text).toMatch(/backscatter moved/);
    await watching.stop();
    expect(waits(s)).toBe(0);
  });

  it("restart when the settings change, stop when paused or turned off, and never start again after stop()", async () => {
    const s = await setup(sent);
    const { watching } = watchingOf(s, new Set([s.accountId]));
    watching.sync(s.engine.store.accounts());
    await until("watching", () => watching.state(s.accountId)?.mode === "watching");
    const first = watching.state(s.accountId);
    await s.engine.accountUpdate({ accountId: s.accountId, changes: { scheduleMinutes: 30 } });
    watching.sync(s.engine.store.accounts());
    expect(watching.state(s.accountId)).not.toBe(first);
    watching.pause(true);
    expect(watching.state(s.accountId)).toBeNull();
    watching.pause(false);
    await until("watching again", () => watching.state(s.accountId)?.mode === "watching");
    await s.engine.accountUpdate({ accountId: s.accountId, changes: { watch: false } });
    watching.sync(s.engine.store.accounts());
    expect(watching.state(s.accountId)).toBeNull();
    await s.engine.accountUpdate({ accountId: s.accountId, changes: { watch: true } });
    await watching.stop();
    watching.sync(s.engine.store.accounts());
    expect(watching.state(s.accountId)).toBeNull();
    await until("every connection closed", () => waits(s) === 0);
  });

  it("says when a watch stops for good, and starts it again at the next change of the accounts", async () => {
    const s = await setup(sent);
    let refuse = true;
    const { watching, events } = watchingOf(s, new Set([s.accountId]), (args) =>
      refuse ? Promise.reject(new ImapError("credentials", "The server refused the password.")) : s.engine.scan(args),
    );
    watching.sync(s.engine.store.accounts());
    await until("watching", () => watching.state(s.accountId)?.mode === "watching");
    s.server.append("INBOX", inbox[0]?.raw ?? "");
    await until("stopped", () => watching.state(s.accountId)?.mode === "stopped");
    expect(watching.state(s.accountId)?.problem).toBe("The server refused the password.");
    expect(events.some((e) => e.event === "background" && e.payload.error === "The server refused the password.")).toBe(true);
    refuse = false;
    watching.sync(s.engine.store.accounts());
    await until("watching again", () => watching.state(s.accountId)?.mode === "watching");
    await watching.stop();
  });
});
