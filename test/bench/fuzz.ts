/**
 * Fuzzed messages made from the corpus with a fixed seed: each is a real bounce or ordinary
 * message with one to three mutations a hostile or broken sender produces (truncation, broken
 * boundaries, 100k-character header lines, 300-deep nesting, bad charsets, NUL bytes, 20 MB
 * attachments, ...). Shared by the fuzz test (no crash, bounded memory) and the benchmark
 * (slowest message).
 */
import { listMessageFiles, readMessages } from "../../electron/engine/cli/files.js";
import { prng } from "../harness/generate.js";
import { FIXTURES, SISIMAI } from "../harness/paths.js";
import { bigAttachment, nestedMultipart } from "./hostile.js";

type Mutation = (raw: Buffer, rnd: () => number) => Buffer;

const text = (b: Buffer): string => b.toString("latin1");
const bytes = (s: string): Buffer => Buffer.from(s, "latin1");
const at = (b: Buffer, rnd: () => number): number => Math.floor(rnd() * Math.max(1, b.length));

export const MUTATIONS: Readonly<Record<string, Mutation>> = {
  truncate: (b, rnd) => b.subarray(0, at(b, rnd)),
  "break boundaries": (b) => bytes(text(b).replace(/boundary="?([^";\r\n]+)"?/gi, 'boundary="$1-gone"')),
  "drop the blank line after the header": (b) => bytes(text(b).replace(/\r?\n\r?\n/, "\r\n")),
  "100k-character header line": (b) => Buffer.concat([bytes(`X-Long: ${"y".repeat(100_000)}\r\n`), b]),
  "300-deep nesting": () => nestedMultipart(300),
  "bad charsets": (b) =>
    bytes(
      text(b)
        .replace(/charset="?[\w-]+"?/gi, 'charset="x-no-such-charset-\u00ff"')
        .replace(/=\?[\w-]+\?/g, "=?bogus-8?"),
    ),
  "NUL bytes": (b, rnd) => {
    const copy = Buffer.from(b);
    for (let i = 0; i < 20 && copy.length > 0; i++) copy[at(copy, rnd)] = 0;
    return copy;
  },
  "random bytes": (b, rnd) => {
    const copy = Buffer.from(b);
    for (let i = 0; i < 50 && copy.length > 0; i++) copy[at(copy, rnd)] = Math.floor(rnd() * 256);
    return copy;
  },
  "duplicate everything": (b) => Buffer.concat([b, b]),
  "unterminated encoded word": (b) => bytes(text(b).replace(/^Subject:.*$/im, "Subject: =?utf-8?B?w6TDtsO8")),
  "bare CR line ends": (b) => bytes(text(b).replace(/\r?\n/g, "\r")),
  "header only": (b) => bytes(text(b).split(/\r?\n\r?\n/)[0] ?? ""),
};

/** One message in this many gets a 20 MB attachment (slow to build, so rare). */
const BIG_EVERY = 2_500;

/** `count` fuzzed messages, the same for the same seed. */
export async function* fuzzedMessages(count: number, seed = 1234): AsyncGenerator<{ name: string; raw: Buffer }> {
  const sources: Buffer[] = [];
  for (const root of [SISIMAI, FIXTURES]) for (const file of await listMessageFiles(root, root)) sources.push(...(await readMessages(file.path)));
  const rnd = prng(seed);
  const names = Object.keys(MUTATIONS);
  for (let i = 0; i < count; i++) {
    if (i % BIG_EVERY === BIG_EVERY - 1) {
      yield { name: "20 MB attachment", raw: bigAttachment(20 * 1024 * 1024) };
      continue;
    }
    let raw = sources[Math.floor(rnd() * sources.length)] ?? Buffer.alloc(0);
    const applied: string[] = [];
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
      const name = names[Math.floor(rnd() * names.length)] ?? "truncate";
      raw = (MUTATIONS[name] ?? MUTATIONS["truncate"] ?? ((b: Buffer) => b))(raw, rnd);
      applied.push(name);
    }
    yield { name: applied.join(" + "), raw };
  }
}

export interface FuzzFigures {
  messages: number;
  slowestMs: number;
  slowest: string;
  totalSeconds: number;
}

/** Times the parser on each fuzzed message: the slowest one, and the whole run. */
export async function benchFuzz(count: number, parse: (raw: Buffer) => unknown): Promise<FuzzFigures> {
  let slowestMs = 0;
  let slowest = "";
  const t0 = performance.now();
  for await (const { name, raw } of fuzzedMessages(count)) {
    const t = performance.now();
    parse(raw);
    const ms = performance.now() - t;
    if (ms > slowestMs) [slowestMs, slowest] = [ms, name];
  }
  return { messages: count, slowestMs, slowest, totalSeconds: (performance.now() - t0) / 1000 };
}
