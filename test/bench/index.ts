/**
 * `npm run bench`: measures what the issues set targets for, prints a table and writes
 * bench-results/bench.json. Run on an otherwise idle machine; figures vary by a few percent.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../harness/paths.js";
import { benchParser } from "./parser.js";

const seconds = Number(process.argv.find((a) => a.startsWith("--seconds="))?.split("=")[1] ?? 5);
const parser = await benchParser(seconds);
const rows: [string, string, string][] = [
  ["parser throughput (corpus, one core)", `${parser.messagesPerSecond.toFixed(0)} messages/s`, "≥ 2,500 messages/s"],
  ["parser throughput (bytes)", `${parser.megabytesPerSecond.toFixed(1)} MB/s`, ""],
  ...Object.entries(parser.hostileMs).map(([name, ms]): [string, string, string] => [`hostile: ${name}`, `${ms.toFixed(1)} ms`, "< 100 ms"]),
];
const width = Math.max(...rows.map((r) => r[0].length));
process.stdout.write(`corpus: ${parser.corpusMessages} messages, ${(parser.corpusBytes / 1e6).toFixed(2)} MB, parsed for ${seconds} s\n`);
for (const [name, value, target] of rows) process.stdout.write(`${name.padEnd(width)}  ${value.padStart(18)}  ${target}\n`);
const out = join(REPO_ROOT, "bench-results");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "bench.json"), JSON.stringify({ date: new Date().toISOString(), node: process.version, parser }, null, 2));
process.stdout.write(`written: ${join(out, "bench.json")}\n`);
