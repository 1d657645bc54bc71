// Flood awareness, pure: the rate that starts a flood, the lower one that ends it, and the words.
import { describe, expect, it } from "vitest";
import { FADED_PER_HOUR, FLOOD_PER_HOUR, floodText, noFlood, noteArrivals, type FloodState } from "../../../electron/engine/watch/flood.js";

const T0 = Date.UTC(2026, 11, 6, 14, 2);
const MIN = 60_000;

describe("flood awareness", () => {
  it("starts a flood when the last hour brings the rate, dated from its first arrival in that hour", () => {
    let state = noFlood();
    for (let i = 0; i < FLOOD_PER_HOUR - 1; i++) {
      const r = noteArrivals(state, T0 + i * MIN, 1, 1);
      expect(r.change).toBeNull();
      state = r.state;
    }
    const r = noteArrivals(state, T0 + 40 * MIN, 1, 0);
    expect(r.change).toMatchObject({ kind: "started", startedAt: T0, found: FLOOD_PER_HOUR, swept: FLOOD_PER_HOUR - 1 });
    expect(floodText(r.state)).toBe(`A flood of backscatter started at ${new Date(T0).toTimeString().slice(0, 5)}: ${FLOOD_PER_HOUR - 1} swept so far.`);
  });

  it("does not start one for arrivals spread over more than an hour", () => {
    let state = noFlood();
    for (let i = 0; i < 100; i++) {
      const r = noteArrivals(state, T0 + i * 3 * MIN, 1, 1);
      expect(r.change).toBeNull();
      state = r.state;
    }
    expect(floodText(state)).toBeNull();
  });

  it("counts on while it lasts, stays on above the lower rate, and ends once below it", () => {
    const started = noteArrivals(noFlood(), T0, 40, 40);
    expect(started.change?.kind).toBe("started");
    let state: FloodState = started.state;
    const more = noteArrivals(state, T0 + 30 * MIN, 300, 290);
    expect(more.change).toBeNull();
    expect(floodText(more.state)).toMatch(/: 330 swept so far\.$/);
    state = more.state;
    const trickle = noteArrivals(state, T0 + 80 * MIN, FADED_PER_HOUR, FADED_PER_HOUR);
    expect(trickle.change).toBeNull();
    const ended = noteArrivals(trickle.state, T0 + 150 * MIN, 0, 0);
    expect(ended.change).toMatchObject({ kind: "ended", startedAt: T0, found: 340 + FADED_PER_HOUR, swept: 330 + FADED_PER_HOUR });
    expect(floodText(ended.state)).toBeNull();
  });

  it("says found rather than swept when nothing is moved (a dry run)", () => {
    const r = noteArrivals(noFlood(), T0, FLOOD_PER_HOUR, 0);
    expect(r.change?.text).toMatch(new RegExp(`: ${FLOOD_PER_HOUR} found so far\\.$`));
  });
});
