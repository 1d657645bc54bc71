// The engine's acceptance figures at a size CI can afford (`npm run acceptance` runs 10,000 / 2,000).
import { describe, expect, it } from "vitest";
import { runAcceptance } from "../bench/acceptance.js";

describe("a generated mailbox of 2,000 inbox and 400 sent messages", () => {
  it("moves exactly the backscatter, no legit mail, reading at most 1.5x the bytes of an ENVELOPE + BODYSTRUCTURE pass", { timeout: 180_000 }, async () => {
    const r = await runAcceptance(2_000, 400);
    expect(r.expectedMoves).toBeGreaterThan(400);
    expect(r.precision).toBe(1);
    expect(r.recall).toBeGreaterThanOrEqual(0.99);
    expect(r.legitMoved).toBe(0);
    expect(r.bytesRatio).toBeLessThanOrEqual(1.5);
  });
});
