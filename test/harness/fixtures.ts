/** Reading fixtures and corpus files in tests. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRawMessage } from "../../electron/engine/bounce/index.js";
import { triage } from "../../electron/engine/bounce/triage.js";
import { parseMessage } from "../../electron/engine/mime/tree.js";
import type { Report } from "../../shared/model.js";
import { FIXTURES } from "./paths.js";

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

export function reportOf(name: string): Report {
  return parseRawMessage(fixture(name));
}

export function triageOf(raw: Buffer): boolean {
  return triage(parseMessage(raw.toString("latin1")).headers).candidate;
}

export function ids(report: Report): string[] {
  return report.references.map((r) => r.messageId);
}
