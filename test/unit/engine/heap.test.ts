// The engine's heap limit (electron/engine/host/heap.ts): what it does to V8, and that every
// engine host sets it. V8's flags are process-wide, so each case runs in a process of its own,
// from dist/ (`npm test` builds it first).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { HEAP_GROWING_PERCENT } from "../../../electron/engine/host/heap.js";
import { cli, runNode } from "../../harness/cli.js";
import { REPO_ROOT } from "../../harness/paths.js";

const dir = mkdtempSync(join(tmpdir(), "bss-heap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const built = (...path: string[]): string => join(REPO_ROOT, "dist", "electron", "engine", ...path);

// A scan's pattern: a kept index, and chunks that live through several young collections, then die.
const churn = join(dir, "churn.mjs");
writeFileSync(
  churn,
  `import { limitHeapGrowth } from ${JSON.stringify(pathToFileURL(built("host", "heap.js")).href)};
if (process.argv[2] === "limited") limitHeapGrowth();
const kept = Array.from({ length: 100_000 }, (_, i) => ({ id: "kept-" + i }));
const chunks = [];
let peak = 0;
for (let round = 0; round < 800; round++) {
  chunks.push(Array.from({ length: 5000 }, (_, i) => ({ uid: round * 5000 + i, text: ("row " + round + " " + i).repeat(4) })));
  if (chunks.length > 40) chunks.shift();
  peak = Math.max(peak, process.memoryUsage().heapTotal);
}
console.log(JSON.stringify({ peakMb: peak / 1e6, kept: kept.length }));
`,
);

// Records every V8 flag the process sets (the CLI and the utility host import node:v8 as ESM).
const recorder = join(dir, "recorder.cjs");
writeFileSync(
  recorder,
  `const v8 = require("node:v8");
const fs = require("node:fs");
const set = v8.setFlagsFromString;
v8.setFlagsFromString = (flags) => { fs.appendFileSync(process.env.BSS_FLAGS_LOG, flags + "\\n"); set(flags); };
require("node:module").syncBuiltinESMExports();
`,
);

function flagsSetBy(log: string): string[] {
  try {
    return readFileSync(log, "utf8").trim().split("\n");
  } catch {
    return [];
  }
}

describe("limitHeapGrowth", () => {
  it("keeps the heap of a long, allocation-heavy run far below what V8 lets it reach by default", { timeout: 60_000 }, async () => {
    const peak = async (mode: string): Promise<number> => {
      const r = await runNode([churn, mode]);
      expect(r.stderr).toBe("");
      return (JSON.parse(r.stdout) as { peakMb: number }).peakMb;
    };
    const unlimited = await peak("default");
    const limited = await peak("limited");
    // Measured here: 238-251 MB by default, 119-147 MB limited.
    expect(limited).toBeLessThan(0.7 * unlimited);
  });

  it("is set by the command-line app, before any command runs", { timeout: 120_000 }, async () => {
    const log = join(dir, "cli.log");
    const r = await cli(["--help"], REPO_ROOT, { NODE_OPTIONS: `--require ${recorder}`, BSS_FLAGS_LOG: log });
    expect(r.code).toBe(0);
    expect(flagsSetBy(log)).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  });

  it("is set by the desktop app's engine process (Electron's utility process, its parent port faked)", { timeout: 60_000 }, async () => {
    const log = join(dir, "utility.log");
    const parentPort = join(dir, "parentPort.cjs");
    writeFileSync(parentPort, `process.parentPort = { on() {}, postMessage() {} };\n`);
    const r = await runNode(["--require", recorder, "--require", parentPort, built("host", "utility.js"), join(dir, "profile.sqlite")], {
      env: { BSS_FLAGS_LOG: log },
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(flagsSetBy(log)).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  });
});
