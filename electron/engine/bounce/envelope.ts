/**
 * The cheapest look at a message: its ENVELOPE and BODYSTRUCTURE, which any IMAP client reads
 * anyway. {@link automatedHint} turns away ordinary mail before a single header field is
 * fetched; for the rest, {@link EXTRA_FIELDS} are fetched and {@link headersFromEnvelope} puts
 * both together into the header block triage and parseReport read.
 */
import { asHeaderBytes, ENVELOPE_FIELDS, envelopeFields, type Envelope, type EnvelopeAddress } from "../mime/envelope.js";
import { fieldOfLine, Headers } from "../mime/headers.js";
import type { ImapBodyStructure } from "../mime/imapStructure.js";
import {
  AUTOREPLY_SUBJECT,
  AUTOREPLY_WEAK_SUBJECT,
  BOUNCE_SUBJECT,
  CHALLENGE_PHRASE,
  DELAY_PHRASE,
  LIST_MANAGER_REFUSAL,
  SYSTEM_DISPLAY_NAME,
  SYSTEM_SENDER,
  VIRUS_PHRASE,
} from "./phrases.js";
import { TRIAGE_FIELDS } from "./signals.js";

/** The triage fields ENVELOPE and BODYSTRUCTURE do not carry. */
const FROM_ENVELOPE = new Set([...ENVELOPE_FIELDS, "content-type"]);
export const EXTRA_FIELDS: readonly string[] = TRIAGE_FIELDS.filter((f) => !FROM_ENVELOPE.has(f));

const REPORT_PARTS = /^(?:multipart\/report|message\/|text\/rfc822-headers)/;

function hasReportPart(s: ImapBodyStructure | undefined, depth = 0): boolean {
  if (!s || depth > 8) return false;
  if (REPORT_PARTS.test(s.type.toLowerCase())) return true;
  return (s.childNodes ?? []).some((c) => hasReportPart(c, depth + 1));
}

function systemAddress(list: EnvelopeAddress[] | undefined): boolean {
  if (!list || list.length === 0) return true; // no From at all: only machines write that
  return list.some(
    (a) =>
      !a.address ||
      SYSTEM_SENDER.test(a.address.split("@")[0] ?? "") ||
      SYSTEM_DISPLAY_NAME.test(a.name ?? "") ||
      /amazonses\.com$|sns\.amazonaws\.com$/i.test(a.address),
  );
}

const SUBJECT_HINTS = [BOUNCE_SUBJECT, AUTOREPLY_SUBJECT, AUTOREPLY_WEAK_SUBJECT, CHALLENGE_PHRASE, VIRUS_PHRASE, DELAY_PHRASE, LIST_MANAGER_REFUSAL];

/** Why a message might be automated, strongest first; only "reply" leaves room for a person. */
export type AutomatedHint = "report-part" | "system-sender" | "subject" | "reply";

/**
 * Null when the envelope and structure show ordinary mail: no report or attached message, a
 * person's From, a subject with none of the words automated replies use, no In-Reply-To. What
 * it turns away cannot carry a reference to an original, so it could never be moved. "reply"
 * means only In-Reply-To speaks for it: an auto-reply, or a person answering.
 */
export function automatedHint(env: Envelope, structure: ImapBodyStructure | undefined): AutomatedHint | null {
  if (!structure || hasReportPart(structure)) return "report-part";
  if (systemAddress(env.from) || (env.sender !== undefined && env.sender.length > 0 && systemAddress(env.sender))) return "system-sender";
  const subject = env.subject ?? "";
  if (SUBJECT_HINTS.some((re) => re.test(subject))) return "subject";
  return env.inReplyTo ? "reply" : null;
}

function contentTypeLine(s: ImapBodyStructure | undefined): string | null {
  if (!s) return null;
  const params = Object.entries(s.parameters ?? {})
    .map(([k, v]) => `; ${k}="${v.replace(/"/g, "")}"`)
    .join("");
  return `${s.type}${params}`;
}

/**
 * The header block triage reads, from the envelope, the structure and the extra fields fetched
 * (if any yet). Built as fields, not as text parsed back; a line break in a structure's parameter
 * (a literal can hold one) is a space, so it cannot add a field of its own.
 */
export function headersFromEnvelope(env: Envelope, structure: ImapBodyStructure | undefined, extra: Headers = new Headers([])): Headers {
  const fields = envelopeFields(env);
  const ct = contentTypeLine(structure);
  if (ct) fields.push(fieldOfLine("Content-Type", asHeaderBytes(ct)));
  return withExtraFields(new Headers(fields), extra);
}

/** Headers built from an envelope, with extra fields fetched later (none the envelope gave already). */
export function withExtraFields(fromEnvelope: Headers, extra: Headers): Headers {
  return new Headers([...fromEnvelope.fields, ...extra.fields.filter((f) => !FROM_ENVELOPE.has(f.name))]);
}
