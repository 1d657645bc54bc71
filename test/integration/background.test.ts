// Scheduled scans as a host with a UI runs them (openProfile: serve and the desktop app), on a
// clock the test moves, against Dovecot: an account that asks for them is scanned every N
// minutes; with automatic moves on, high-confidence backscatter is moved and a one-line result
// ("N backscatter moved, M to review") goes out as an event; pause stops them; run-now runs one;
// settings changes take effect; the activity journal lists each run in words and undo of a run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BackgroundResult } from "../../shared/api.js";
import { summarizeBackground } from "../../shared/summary.js";
import { openProfile, type Profile } from "../../electron/engine/profile.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { FakeClock } from "../harness/clock.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { liveIds, seed } from "../harness/imap.js";
import { scenario } from "../harness/mailbox.js";

const MIN = 60_000;
const messages = scenario(2);
const moving = messages
  .filter((m) => m.expect === "move")
  .map((m) => m.messageId)
  .sort();
let d: Dovecot;
let dir: string;
let profile: Profile;
const clock = new FakeClock();
const events: BackgroundResult[] = [];

beforeAll(async () => {
  d = await startDovecot();
  await seed(d, messages);
  dir = mkdtempSync(join(tmpdir(), "bss-background-"));
  profile = openProfile({
    path: join(dir, "profile.sqlite"),
    secrets: memorySecrets(),
    timers: clock,
    emit: (event, payload) => event === "background" && events.push(payload as BackgroundResult),
  });
}, 60_000);
afterAll(async () => {
  profile?.close();
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Moves the clock by `ms` and gives a scan it starts time to finish against the real server (until `done`, or half a second when none is expected). */
async function wait(ms: number, done: (() => boolean) | null): Promise<void> {
  await clock.advance(ms);
  for (let i = 0; i < (done ? 1000 : 50) && !done?.(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe("scheduled scans", () => {
  it("summarize a scan in one line", () => {
    const counts = { legit: 3, backscatter: 39, "account-misuse": 0, unverifiable: 0, complaint: 0, "not-automated": 100 };
    expect(summarizeBackground({ moved: 37, counts, errors: [] })).toBe("37 backscatter moved, 2 to review");
    expect(summarizeBackground({ moved: 0, counts: { ...counts, backscatter: 0 }, errors: [] })).toBe("No new backscatter");
    expect(summarizeBackground({ moved: 0, counts: { ...counts, backscatter: 0, unverifiable: 1 }, errors: [{ folder: "INBOX", uid: 1, error: "x" }] })).toBe(
      "1 to review; 1 could not be read",
    );
  });

  it("run every N minutes for an account that asks, move high-confidence backscatter, and report in a line", { timeout: 60_000 }, async () => {
    const { engine } = profile;
    const account = await engine.accountAdd({ account: { host: d.host, port: d.port, security: "plain", user: "alice@example.org" }, secret: "alice-secret" });
    expect((await engine.scheduleStatus({})).accounts).toMatchObject([{ accountId: account.id, everyMinutes: null, nextAt: null }]); // off by default
    await engine.accountUpdate({ accountId: account.id, changes: { scheduleMinutes: 30, autoMove: "high" } });
    const state = await engine.scheduleStatus({});
    expect(state).toMatchObject({ paused: false, accounts: [{ accountId: account.id, user: "alice@example.org", everyMinutes: 30, last: null }] });
    expect(state.accounts[0]?.nextAt).toBeGreaterThan(clock.time + 26 * MIN);
    await wait(25 * MIN, null);
    expect(events).toEqual([]); // not yet
    await wait(10 * MIN, () => events.length > 0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ accountId: account.id, error: null });
    expect(events[0]?.text).toMatch(/^\d+ backscatter moved/);
    const moved = await liveIds(d, "Backscatter");
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((id) => moving.includes(id))).toBe(true);
    expect((await engine.scheduleStatus({})).accounts[0]?.last).toEqual(events[0]);

    // Paused: nothing runs however long we wait; run-now still runs one.
    await engine.schedulePause({ paused: true });
    expect((await engine.scheduleStatus({})).accounts[0]?.nextAt).toBeNull();
    await wait(120 * MIN, null);
    expect(events).toHaveLength(1);
    await engine.scheduleRunNow({ accountId: account.id });
    expect(events).toHaveLength(2);
    expect(events[1]?.text).toBe("No new backscatter");
    await engine.schedulePause({ paused: false });
    expect((await engine.scheduleStatus({})).accounts[0]?.nextAt).not.toBeNull();

    // Schedule off: no more scheduled scans; "scan now" (tray, resume) still scans it.
    await engine.accountUpdate({ accountId: account.id, changes: { scheduleMinutes: null } });
    expect((await engine.scheduleStatus({})).accounts).toMatchObject([{ everyMinutes: null, nextAt: null }]);
    await engine.scheduleRunNow({});
    expect(events).toHaveLength(3);
  });

  it("the activity journal lists each run in words, newest first, and a move run can be undone", { timeout: 60_000 }, async () => {
    const { engine } = profile;
    const [account] = await engine.accountList({});
    const accountId = account?.id ?? 0;
    const before = await engine.activity({ accountId });
    const move = before.find((e) => e.kind === "move");
    expect(move).toMatchObject({ undoable: true });
    expect(move?.text).toMatch(/^Moved \d+ messages? to the backscatter folder\.$/);
    expect(before.find((e) => e.kind === "scan")?.text).toMatch(/^Scanned \d+ new messages?: \d+ backscatter found, \d+ moved, \d+ to review\.$/);
    expect(before.map((e) => e.runId)).toEqual([...before.map((e) => e.runId)].sort((a, b) => b - a));
    const undone = await engine.undo({ accountId, runId: move?.runId ?? 0 });
    expect(undone.failed).toEqual([]);
    expect(await liveIds(d, "Backscatter")).toEqual([]);
    const after = await engine.activity({ accountId });
    expect(after[0]).toMatchObject({ kind: "undo", text: `Put back ${undone.restored} message${undone.restored === 1 ? "" : "s"}.` });
    expect(after.find((e) => e.runId === move?.runId)?.undoable).toBe(false);
  });
});
