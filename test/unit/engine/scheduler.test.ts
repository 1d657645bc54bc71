import { describe, expect, it } from "vitest";
import { createScheduler, nextDelay } from "../../../electron/engine/scheduler.js";
import { FakeClock } from "../../harness/clock.js";

const MIN = 60_000;

describe("nextDelay", () => {
  it("waits the interval after a success, jittered by at most ±10%", () => {
    expect(nextDelay({ intervalMs: 30 * MIN }, 0, 0.5)).toBe(30 * MIN);
    expect(nextDelay({ intervalMs: 30 * MIN }, 0, 0)).toBe(27 * MIN);
    expect(nextDelay({ intervalMs: 30 * MIN }, 0, 1)).toBe(33 * MIN);
  });

  it("retries after one minute, then doubles, up to six hours", () => {
    const delays = [1, 2, 3, 4, 12, 40].map((n) => nextDelay({ intervalMs: 30 * MIN, jitter: 0 }, n, 0.5) / MIN);
    expect(delays).toEqual([1, 2, 4, 8, 360, 360]);
  });
});

describe("createScheduler", () => {
  it("runs on the interval, one run at a time", async () => {
    const clock = new FakeClock();
    let release: () => void = () => undefined;
    let runs = 0;
    const s = createScheduler({
      intervalMs: 10 * MIN,
      jitter: 0,
      timers: clock,
      now: () => clock.time,
      run: () => {
        runs++;
        return new Promise<void>((r) => (release = r));
      },
    });
    s.start();
    expect(s.nextAt()).toBe(10 * MIN);
    await clock.advance(10 * MIN);
    expect(runs).toBe(1);
    expect(s.running()).toBe(true);
    expect(await s.runNow()).toBe("busy");
    await clock.advance(60 * MIN); // a long run: no second run piles up behind it
    expect(runs).toBe(1);
    release();
    await clock.advance(0);
    expect(s.running()).toBe(false);
    expect(s.nextAt()).toBe(80 * MIN);
    await clock.advance(10 * MIN);
    expect(runs).toBe(2);
  });

  it("backs off after failures and returns to the interval after a success", async () => {
    const clock = new FakeClock();
    const outcomes = [false, false, false, true];
    const settled: [boolean, number][] = [];
    const s = createScheduler({
      intervalMs: 30 * MIN,
      jitter: 0,
      timers: clock,
      now: () => clock.time,
      run: () => (outcomes.shift() ? Promise.resolve() : Promise.reject(new Error("server down"))),
      onSettled: (error, nextAt) => settled.push([error !== null, nextAt - clock.time]),
    });
    s.start();
    await clock.advance(30 * MIN + 1 * MIN + 2 * MIN + 4 * MIN);
    expect(settled).toEqual([
      [true, 1 * MIN],
      [true, 2 * MIN],
      [true, 4 * MIN],
      [false, 30 * MIN],
    ]);
    expect(s.failures()).toBe(0);
  });

  it("runNow runs at once and restarts the interval; stop cancels what is due", async () => {
    const clock = new FakeClock();
    let runs = 0;
    const s = createScheduler({ intervalMs: 10 * MIN, jitter: 0, timers: clock, now: () => clock.time, run: async () => void runs++ });
    s.start();
    await clock.advance(7 * MIN);
    expect(await s.runNow()).toBe("ran");
    expect(runs).toBe(1);
    expect(s.nextAt()).toBe(17 * MIN);
    s.stop();
    expect(s.nextAt()).toBeNull();
    expect(clock.pending()).toBe(0);
    await clock.advance(60 * MIN);
    expect(runs).toBe(1);
  });
});
