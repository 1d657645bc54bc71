/**
 * The bounce layer's front door. The scanner uses triage + selectParts + parseReport on what
 * IMAP delivers; tools and tests use {@link parseRawMessage} on a whole message, which goes
 * through the very same part selection.
 */
import type { Report } from "../../../shared/model.js";
import { EMPTY_ORIGINAL } from "./original.js";
import { parseMessage } from "../mime/tree.js";
import { keepWhatIsRead } from "./parts.js";
import { parseReport } from "./parse.js";
import { TRIAGE_FIELDS } from "./signals.js";

export { certainlyCandidate, triage, TRIAGE_FIELDS, type TriageResult } from "./triage.js";
export { parseReport, type MessageInput } from "./parse.js";
export { selectParts, secondLook, keepSelected, keepWhatIsRead } from "./parts.js";
export type { SectionRead } from "../mime/imapStructure.js";

/** A report for input that is not a message at all, with the reason in words. */
export function unreadable(error: string): Report {
  return {
    kind: "not-automated",
    format: null,
    references: [],
    original: EMPTY_ORIGINAL,
    recipients: [],
    reportingMta: null,
    action: null,
    evidence: [],
    error,
    trace: null,
    batv: null,
  };
}

/** Why these bytes cannot be read as a message, or null when they can. */
export function unreadableReason(raw: Buffer): string | null {
  if (raw.length === 0) return "the file is empty";
  const head = raw.subarray(0, 4096);
  let controls = 0;
  for (let i = 0; i < head.length; i++) if ((head[i] ?? 0) < 8) controls++;
  // A stray NUL happens in real mail; a header full of them is not mail.
  if (controls > head.length / 100 + 1) return "binary data, not an email message";
  if (raw.length < 8) return `only ${raw.length} byte${raw.length === 1 ? "" : "s"}: too short to be an email message`;
  return null;
}

/**
 * Parses a whole message (bytes as stored on disk or fetched with BODY[]) into a Report.
 * Never throws: unreadable input gives kind "not-automated" with an error in words.
 */
export function parseRawMessage(raw: Buffer): Report {
  const reason = unreadableReason(raw);
  if (reason) return unreadable(reason);
  try {
    const parsed = parseMessage(raw.toString("latin1"));
    if (parsed.headers.fields.length === 0) return unreadable("no header fields: not an email message");
    const problems = [...parsed.problems];
    if (!/\r?\n\r?\n/.test(raw.subarray(0, 256 * 1024).toString("latin1"))) problems.push("the message ends inside its header (truncated)");
    // Exactly what the scanner has: the triage header fields and the selected parts, as far as it reads them.
    const root = keepWhatIsRead(parsed.root);
    return parseReport({ headers: parsed.headers.only(TRIAGE_FIELDS), root, problems });
  } catch (error) {
    // A defect of ours, not of the input; reported in words rather than crashing a whole scan.
    return unreadable(`could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}
