/**
 * `parse --json PATH...`: one JSON line per message on stdout, for evaluation against other
 * bounce parsers. The line's shape is an interface: keep it stable.
 */
import { resolve } from "node:path";
import { parseRawMessage } from "../bounce/index.js";
import type { Report } from "../../../shared/model.js";
import { listMessageFiles, readMessages } from "./files.js";
import type { CommandIo } from "./io.js";

export interface ParseLine {
  file: string;
  index: number;
  kind: string;
  format: string | null;
  originalMessageIds: string[];
  recipients: string[];
  action: string | null;
  status: string | null;
  diagnostic: string | null;
  reportingMta: string | null;
  error: string | null;
}

export function toParseLine(file: string, index: number, report: Report): ParseLine {
  const first = report.recipients[0];
  return {
    file,
    index,
    kind: report.kind,
    format: report.format,
    originalMessageIds: report.references.map((r) => r.messageId),
    recipients: report.recipients.map((r) => r.address),
    action: report.action,
    status: first?.status ?? null,
    diagnostic: first?.diagnostic ?? null,
    reportingMta: report.reportingMta,
    error: report.error,
  };
}

/** Runs the command; returns the exit code (0: every path read; 1: a path could not be read). */
export async function parseCommand(paths: readonly string[], io: CommandIo): Promise<number> {
  if (paths.length === 0) {
    io.stderr("usage: parse --json PATH...\n");
    return 2;
  }
  let failed = false;
  for (const argument of paths) {
    let files;
    try {
      files = await listMessageFiles(argument, resolve(io.cwd, argument));
    } catch (error) {
      io.stderr(`cannot read ${argument}: ${error instanceof Error ? error.message : String(error)}\n`);
      failed = true;
      continue;
    }
    for (const file of files) {
      let messages: Buffer[];
      try {
        messages = await readMessages(file.path);
      } catch (error) {
        io.stderr(`cannot read ${file.label}: ${error instanceof Error ? error.message : String(error)}\n`);
        failed = true;
        continue;
      }
      messages.forEach((raw, index) => io.stdout(JSON.stringify(toParseLine(file.label, index, parseRawMessage(raw))) + "\n"));
    }
  }
  return failed ? 1 : 0;
}
