/**
 * `npm run bench [-- --small] [-- --seconds=N] [-- --no-scale] [-- --no-watch]`: measures what the
 * issues set targets for, prints tables and writes bench-results/bench.json. The scale part starts
 * its own Dovecot (needs root and dovecot-imapd, as the tests do): 100,000 inbox / 20,000 sent
 * messages, or 10,000 / 2,000 with --small; the watch part another, with 10,000 / 2,000 already
 * swept. Run on an otherwise idle machine; figures vary by a few percent.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../harness/paths.js";
import { parseRawMessage } from "../../electron/engine/bounce/index.js";
import { benchFuzz } from "./fuzz.js";
import { benchParser } from "./parser.js";
import { judge, ROUNDS, runScale, type ScaleResult } from "./scale.js";
import { judgeWatch, runWatchBench, type WatchResult } from "./watch.js";

const argv = process.argv.slice(2);
const seconds = Number(argv.find((a) => a.startsWith("--seconds="))?.split("=")[1] ?? 5);
const small = argv.includes("--small");
const write = (line: string): void => void process.stdout.write(`${line}\n`);

function table(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const r of rows) write(r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  "));
}

const parser = await benchParser(seconds);
write(`parser: corpus of ${parser.corpusMessages} messages, ${(parser.corpusBytes / 1e6).toFixed(2)} MB, parsed for ${seconds} s`);
table([
  ["measure", "value", "target"],
  ["parser throughput (one core)", `${parser.messagesPerSecond.toFixed(0)} messages/s`, "≥ 2,500 messages/s"],
  ["parser throughput (bytes)", `${parser.megabytesPerSecond.toFixed(1)} MB/s`, ""],
  ...Object.entries(parser.hostileMs).map(([name, ms]) => [`hostile: ${name}`, `${ms.toFixed(1)} ms`, "< 100 ms"]),
]);

const fuzz = await benchFuzz(10_000, parseRawMessage);
write("");
write(
  `fuzz: ${fuzz.messages} fuzzed messages from the corpus in ${fuzz.totalSeconds.toFixed(1)} s (building them included); slowest parse ${fuzz.slowestMs.toFixed(1)} ms ("${fuzz.slowest}")`,
);

let scale: ScaleResult | null = null;
if (!argv.includes("--no-scale")) {
  const [inbox, sent] = small ? [10_000, 2_000] : [100_000, 20_000];
  write("");
  scale = await runScale(inbox, sent, (line) => void process.stderr.write(`${line}\n`));
  const roundsOf = (name: string): number => scale?.rows.filter((r) => r.name === name).length ?? 0;
  write(
    `scale: ${inbox} inbox / ${sent} sent messages, ${(scale.mailboxBytes / 1e9).toFixed(2)} GB, ${scale.backscatter} backscatter; page cache ${scale.pageCacheDropped ? "dropped" : "NOT dropped (not allowed here)"} for the cold runs`,
  );
  table([
    ["step", "wall", "CPU (process)", "bytes read", "peak RSS", "heap kept", "detail"],
    ...scale.rows.map((r) => [
      `${r.name}${roundsOf(r.name) > 1 ? ` #${r.round}` : ""}`,
      `${r.seconds.toFixed(2)} s`,
      `${r.cpuSeconds.toFixed(1)} s`,
      `${(r.bytes / 1e6).toFixed(2)} MB`,
      `${r.maxRssMb.toFixed(0)} MB`,
      r.heapKeptMb === null ? "" : `${r.heapKeptMb.toFixed(1)} MB`,
      Object.entries(r.detail)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    ]),
  ]);
  write("");
  write(`targets: timed steps run in interleaved rounds (${ROUNDS.warm} warm, ${ROUNDS.cold} cold, ${ROUNDS.tenth} of a tenth) count by their medians`);
  table([["target", "measured", "wanted", "met"], ...judge(scale).map(([what, got, want, met]) => [what, got, want, met ? "yes" : "NO"])]);
}

let watch: WatchResult | null = null;
if (!argv.includes("--no-watch")) {
  watch = await runWatchBench(10_000, 2_000, (line) => void process.stderr.write(`${line}\n`));
  write("");
  write(
    `watch: ${watch.inbox} / ${watch.sent} already swept; ${watch.steady.arrivals} arrivals at 1/s (${watch.steady.backscatter} backscatter), then ${watch.burst.arrivals} in one APPEND (${watch.burst.backscatter} backscatter); idle ${watch.idleSeconds} s`,
  );
  table([["target", "measured", "wanted", "met"], ...judgeWatch(watch).map(([what, got, want, met]) => [what, got, want, met ? "yes" : "NO"])]);
}

const out = join(REPO_ROOT, "bench-results");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "bench.json"),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      parser,
      fuzz,
      scale,
      watch,
      targets: [...(scale ? judge(scale) : []), ...(watch ? judgeWatch(watch) : [])],
    },
    null,
    2,
  ),
);
write(`written: ${join(out, "bench.json")}`);
