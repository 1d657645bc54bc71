import { describe, expect, it } from "vitest";
import { judge, median, type ScaleResult, type ScaleRow } from "../../bench/scale.js";

const row = (name: string, seconds: number, round = 1, extra: Partial<ScaleRow> = {}): ScaleRow => ({
  name,
  round,
  seconds,
  bytes: 1000,
  maxRssMb: 200,
  cpuSeconds: seconds,
  heapKeptMb: 20,
  detail: {},
  ...extra,
});

/** A run where every target holds; `rows` replace the steps of the same name. */
function result(rows: ScaleRow[] = []): ScaleResult {
  const base = [
    row("ours: first scan, a tenth of the inbox", 3, 1, { maxRssMb: 190 }),
    row("floor, cold", 30),
    row("ours: first scan, cold", 40),
    row("floor, warm", 20),
    row("ours: first scan, warm", 25, 1, { bytes: 1400 }),
    row("ours: rescan, no new mail", 0.4),
    row("ours: rescan after 1% new mail", 2),
    row("naive: every source through mailparser", 160),
    row("ours: move 8,000", 8, 1, { detail: { moved: 8000 } }),
  ];
  const replaced = new Set(rows.map((r) => r.name));
  return { inbox: 100, sent: 20, mailboxBytes: 1, backscatter: 1, pageCacheDropped: true, rows: [...base.filter((r) => !replaced.has(r.name)), ...rows] };
}

const verdict = (r: ScaleResult, what: string): boolean | undefined => judge(r).find(([w]) => w.startsWith(what))?.[3];

describe("the scale benchmark's verdicts", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("meets every target when every figure does", () => {
    const lines = judge(result());
    expect(lines).toHaveLength(10);
    expect(lines.filter(([, , , met]) => !met)).toEqual([]);
  });

  it("judges steps run in rounds by their medians, so one slow round neither passes nor fails a target", () => {
    const warm = (s: number, round: number): ScaleRow => row("ours: first scan, warm", s, round);
    const floor = (s: number, round: number): ScaleRow => row("floor, warm", s, round);
    // One fast round of ours would pass alone; the median (31 s against 20 s) does not.
    const slow = result([floor(20, 1), warm(31, 1), floor(20, 2), warm(29, 2), floor(21, 3), warm(33, 3)]);
    expect(verdict(slow, "first scan / floor, warm")).toBe(false);
    expect(judge(slow).find(([w]) => w.startsWith("first scan / floor, warm"))?.[1]).toBe("1.55× (31.00 / 20.00 s; medians of 3 and 3)");
    // One slow round of ours does not fail it when the others hold.
    const fast = result([floor(20, 1), warm(45, 1), floor(20, 2), warm(28, 2), floor(20, 3), warm(29, 3)]);
    expect(verdict(fast, "first scan / floor, warm")).toBe(true);
    expect(verdict(fast, "naive / ours")).toBe(false); // 160 s against a median of 29 s: 5.5×
  });

  it("holds memory to every run, not to a median", () => {
    const r = result([row("ours: first scan, warm", 25, 1), row("ours: first scan, warm", 25, 2, { maxRssMb: 260 }), row("ours: first scan, warm", 25, 3)]);
    expect(verdict(r, "peak RSS of our steps")).toBe(false);
    expect(verdict(r, "peak RSS, first scan: whole inbox / a tenth")).toBe(true); // median 200 against 190
  });

  it("says nothing when a step is missing, and a move of fewer than 8,000 misses", () => {
    expect(judge({ ...result(), rows: result().rows.filter((r) => r.name !== "floor, cold") })).toEqual([]);
    expect(verdict(result([row("ours: move 8,000", 5, 1, { detail: { moved: 7999 } })]), "move")).toBe(false);
  });
});
