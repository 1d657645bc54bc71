/**
 * Parser throughput: the whole corpus held in memory, parsed again and again on this one thread
 * for a fixed time; then each hostile input timed on its own.
 */
import { parseRawMessage } from "../../electron/engine/bounce/index.js";
import { listMessageFiles, readMessages } from "../../electron/engine/cli/files.js";
import { SISIMAI } from "../harness/paths.js";
import { HOSTILE } from "./hostile.js";

export interface ParserFigures {
  corpusMessages: number;
  corpusBytes: number;
  messagesPerSecond: number;
  megabytesPerSecond: number;
  hostileMs: Record<string, number>;
}

export async function benchParser(seconds = 5): Promise<ParserFigures> {
  const messages: Buffer[] = [];
  for (const file of await listMessageFiles(SISIMAI, SISIMAI)) messages.push(...(await readMessages(file.path)));
  const bytes = messages.reduce((n, m) => n + m.length, 0);
  for (const m of messages) parseRawMessage(m); // warm up the JIT
  let parsed = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(seconds * 1e9);
  while (process.hrtime.bigint() < deadline) {
    for (const m of messages) parseRawMessage(m);
    parsed += messages.length;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const hostileMs: Record<string, number> = {};
  for (const [name, make] of HOSTILE) {
    const input = make();
    const t0 = process.hrtime.bigint();
    parseRawMessage(input);
    hostileMs[name] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  return {
    corpusMessages: messages.length,
    corpusBytes: bytes,
    messagesPerSecond: parsed / elapsed,
    megabytesPerSecond: (bytes * (parsed / messages.length)) / elapsed / 1e6,
    hostileMs,
  };
}
