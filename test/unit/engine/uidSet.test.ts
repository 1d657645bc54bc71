// UID sets for IMAP commands: compact runs, and batches that keep every command line within bounds.
import { describe, expect, it } from "vitest";
import { uidBatches, uidSet } from "../../../electron/engine/imap/uidSet.js";

describe("uidSet", () => {
  it("writes runs of consecutive UIDs as first:last, in ascending order, repeats once", () => {
    expect(uidSet([9, 3, 4, 5, 6, 7, 12, 13, 4])).toBe("3:7,9,12:13");
    expect(uidSet([42])).toBe("42");
    expect(uidSet([])).toBe("");
  });
});

describe("uidBatches", () => {
  const id = (n: number): number => n;

  it("cuts by count", () => {
    const uids = Array.from({ length: 10 }, (_, i) => i * 2 + 1);
    expect(uidBatches(uids, id, { maxCount: 4, maxChars: 10_000 }).map((b) => b.length)).toEqual([4, 4, 2]);
  });

  it("cuts by the length of the compact set, which never goes over", () => {
    const scattered = Array.from({ length: 3000 }, (_, i) => 100_000 + i * 3);
    const batches = uidBatches(scattered, id, { maxCount: 2000, maxChars: 7800 });
    expect(batches.length).toBeGreaterThan(2);
    for (const b of batches) expect(uidSet(b).length).toBeLessThanOrEqual(7800);
    // Each batch is filled as far as the bound allows: one more UID would not fit.
    const first = batches[0] ?? [];
    expect(uidSet([...first, batches[1]?.[0] ?? 0]).length).toBeGreaterThan(7800);
    expect(batches.flat()).toEqual(scattered);
  });

  it("keeps a long run in one batch: its set is a few characters", () => {
    const run = Array.from({ length: 2000 }, (_, i) => 500_000 + i);
    const batches = uidBatches(run, id, { maxCount: 2000, maxChars: 20 });
    expect(batches).toHaveLength(1);
    expect(uidSet(batches[0] ?? [])).toBe("500000:501999");
  });

  it("sorts by UID and keeps items with the same UID together", () => {
    const items = [
      { uid: 7, n: "a" },
      { uid: 3, n: "b" },
      { uid: 7, n: "c" },
      { uid: 5, n: "d" },
    ];
    const batches = uidBatches(items, (i) => i.uid, { maxCount: 2, maxChars: 100 });
    expect(batches.map((b) => b.map((i) => i.n))).toEqual([
      ["b", "d"],
      ["a", "c"],
    ]);
  });
});
