// Parts read over several connections and handed on in order (electron/engine/readAhead/inTurn.ts):
// the order holds whichever reader finishes first, each part is read once, a reader may join
// late, no more than `ahead` parts are read past the last one handed on, and a failure is thrown
// in its place with nothing started after it.
import { describe, expect, it } from "vitest";
import { inTurn } from "../../../electron/engine/readAhead/inTurn.js";

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A reader that records what it reads, taking `ms` for each part. */
function recorder(name: string, ms: number, log: string[]): (part: number) => Promise<string> {
  return async (part) => {
    log.push(`${name}:${part}`);
    await tick(ms);
    return `${part} by ${name}`;
  };
}

async function all<T>(results: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of results) out.push(r);
  return out;
}

describe("inTurn", () => {
  it("hands the parts on in order though a faster reader finishes later parts first, each part read once", async () => {
    const parts = Array.from({ length: 12 }, (_, i) => i);
    const log: string[] = [];
    const reading = inTurn<number, string>(parts, 4);
    reading.join(recorder("slow", 15, log));
    reading.join(recorder("fast", 1, log));
    const got = await all(reading.results());
    expect(got.map((r) => Number(r.split(" ")[0]))).toEqual(parts);
    expect(log.map((l) => Number(l.split(":")[1])).sort((a, b) => a - b)).toEqual(parts);
    // Both read, the fast one more.
    const by = (name: string): number => got.filter((r) => r.endsWith(name)).length;
    expect(by("slow")).toBeGreaterThan(0);
    expect(by("fast")).toBeGreaterThan(by("slow"));
  });

  it("reads no more than `ahead` parts past the last one handed on while the caller is busy", async () => {
    const log: string[] = [];
    const reading = inTurn<number, string>(
      Array.from({ length: 20 }, (_, i) => i),
      5,
    );
    reading.join(recorder("a", 1, log));
    reading.join(recorder("b", 1, log));
    const results = reading.results();
    await tick(50);
    expect(log).toHaveLength(5);
    expect((await results.next()).value).toBe("0 by a");
    await tick(50);
    expect(log).toHaveLength(6); // one more for the one handed on
    expect(await all(results)).toHaveLength(19);
    expect(log).toHaveLength(20);
  });

  it("takes a reader that joins late from the next part no one has taken", async () => {
    const log: string[] = [];
    const reading = inTurn<number, string>(
      Array.from({ length: 10 }, (_, i) => i),
      4,
    );
    reading.join(recorder("first", 5, log));
    const results = reading.results();
    expect((await results.next()).value).toBe("0 by first");
    reading.join(recorder("late", 5, log));
    const rest = await all(results);
    expect(rest.map((r) => Number(r.split(" ")[0]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(log.filter((l) => l.startsWith("late")).length).toBeGreaterThan(0);
    expect(log.filter((l) => l.startsWith("late:0") || l.startsWith("late:1"))).toEqual([]); // taken before it joined
  });

  it("throws a failed read in its place, after the parts before it, and starts no part after the failure", async () => {
    const log: string[] = [];
    let startedBeforeFailure = -1;
    const reading = inTurn<number, string>(
      Array.from({ length: 20 }, (_, i) => i),
      4,
    );
    const reader =
      (name: string) =>
      async (part: number): Promise<string> => {
        log.push(`${name}:${part}`);
        await tick(2);
        if (part === 5) {
          startedBeforeFailure = log.length;
          throw new Error("connection lost");
        }
        return `${part}`;
      };
    reading.join(reader("a"));
    reading.join(reader("b"));
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const r of reading.results()) got.push(r);
      })(),
    ).rejects.toThrow("connection lost");
    expect(got).toEqual(["0", "1", "2", "3", "4"]);
    await tick(30);
    expect(startedBeforeFailure).toBeGreaterThan(5);
    expect(log).toHaveLength(startedBeforeFailure);
  });
});
