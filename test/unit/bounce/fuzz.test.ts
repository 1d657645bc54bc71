// 10,000 fuzzed messages made from the corpus (fixed seed) through triage and the parser: no
// exception escapes, every message gets a Report, and memory stays bounded.
import { describe, expect, it } from "vitest";
import { parseRawMessage, triage, TRIAGE_FIELDS } from "../../../electron/engine/bounce/index.js";
import { parseHeaderBlock } from "../../../electron/engine/mime/headers.js";
import { fuzzedMessages } from "../../bench/fuzz.js";

const COUNT = Number(process.env["BSS_FUZZ"] ?? 10_000);

describe("fuzzed input", () => {
  it(`${COUNT} fuzzed messages: no crash, a Report for each, memory bounded`, { timeout: 300_000 }, async () => {
    const kinds = new Map<string, number>();
    let withError = 0;
    let peakHeap = 0;
    const startHeap = process.memoryUsage().heapUsed;
    for await (const { name, raw } of fuzzedMessages(COUNT)) {
      let report;
      try {
        triage(parseHeaderBlock(raw.subarray(0, 64 * 1024).toString("latin1")).only(TRIAGE_FIELDS));
        report = parseRawMessage(raw);
      } catch (error) {
        throw new Error(`"${name}" crashed the parser: ${error instanceof Error ? error.stack : String(error)}`, { cause: error });
      }
      expect(typeof report.kind, name).toBe("string");
      kinds.set(report.kind, (kinds.get(report.kind) ?? 0) + 1);
      if (report.error) withError++;
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    expect([...kinds.values()].reduce((a, b) => a + b, 0)).toBe(COUNT);
    // Mutated bounces are still mostly recognised, and broken input is said to be broken.
    expect(kinds.get("bounce") ?? 0).toBeGreaterThan(COUNT / 3);
    expect(withError).toBeGreaterThan(0);
    expect(peakHeap - startHeap).toBeLessThan(400 * 1024 * 1024);
  });
});
