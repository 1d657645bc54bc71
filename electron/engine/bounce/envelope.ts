/**
 * The cheapest look at a message: its ENVELOPE and BODYSTRUCTURE, which any IMAP client reads
 * anyway. {@link mightBeAutomated} turns away ordinary mail before a single header field is
 * fetched; for the rest, {@link EXTRA_FIELDS} are fetched and {@link headersFromEnvelope} puts
 * both together into the header block triage and parseReport read.
 */
import { Headers, parseHeaderBlock } from "../mime/headers.js";
import type { ImapBodyStructure } from "../mime/imapStructure.js";
import { AUTOREPLY_SUBJECT, AUTOREPLY_WEAK_SUBJECT, BOUNCE_SUBJECT, CHALLENGE_PHRASE, DELAY_PHRASE, LIST_MANAGER_REFUSAL, SYSTEM_DISPLAY_NAME, SYSTEM_SENDER, VIRUS_PHRASE } from "./phrases.js";
import { TRIAGE_FIELDS } from "./signals.js";

export interface EnvelopeAddress {
  name?: string | undefined;
  address?: string | undefined;
}

/** imapflow's envelope object has this shape. */
export interface Envelope {
  date?: Date | string | undefined;
  subject?: string | undefined;
  messageId?: string | undefined;
  inReplyTo?: string | undefined;
  from?: EnvelopeAddress[] | undefined;
  sender?: EnvelopeAddress[] | undefined;
  to?: EnvelopeAddress[] | undefined;
  cc?: EnvelopeAddress[] | undefined;
}

/** The triage fields ENVELOPE and BODYSTRUCTURE do not carry. */
const FROM_ENVELOPE = new Set(["from", "sender", "to", "subject", "date", "message-id", "in-reply-to", "content-type"]);
export const EXTRA_FIELDS: readonly string[] = TRIAGE_FIELDS.filter((f) => !FROM_ENVELOPE.has(f));

const REPORT_PARTS = /^(?:multipart\/report|message\/|text\/rfc822-headers)/;

function hasReportPart(s: ImapBodyStructure | undefined, depth = 0): boolean {
  if (!s || depth > 8) return false;
  if (REPORT_PARTS.test(s.type.toLowerCase())) return true;
  return (s.childNodes ?? []).some((c) => hasReportPart(c, depth + 1));
}

function systemAddress(list: EnvelopeAddress[] | undefined): boolean {
  if (!list || list.length === 0) return true; // no From at all: only machines write that
  return list.some((a) => !a.address || SYSTEM_SENDER.test(a.address.split("@")[0] ?? "") || SYSTEM_DISPLAY_NAME.test(a.name ?? "") || /amazonses\.com$|sns\.amazonaws\.com$/i.test(a.address));
}

const SUBJECT_HINTS = [BOUNCE_SUBJECT, AUTOREPLY_SUBJECT, AUTOREPLY_WEAK_SUBJECT, CHALLENGE_PHRASE, VIRUS_PHRASE, DELAY_PHRASE, LIST_MANAGER_REFUSAL];

/**
 * True unless the envelope and structure show ordinary mail: no report or attached message, a
 * person's From, no In-Reply-To, and a subject with none of the words automated replies use.
 * What it turns away cannot carry a reference to an original, so it could never be moved.
 */
export function mightBeAutomated(env: Envelope, structure: ImapBodyStructure | undefined): boolean {
  if (!structure || hasReportPart(structure)) return true;
  if (systemAddress(env.from) || (env.sender !== undefined && env.sender.length > 0 && systemAddress(env.sender))) return true;
  if (env.inReplyTo) return true;
  const subject = env.subject ?? "";
  return SUBJECT_HINTS.some((re) => re.test(subject));
}

/** Text as the bytes of a header line (UTF-8 in a binary string), so decoding stays uniform. */
const bytes = (text: string): string => Buffer.from(text.replace(/[\r\n]+/g, " "), "utf8").toString("latin1");

function addressLine(list: EnvelopeAddress[] | undefined): string {
  return (list ?? []).map((a) => `${a.name ? `"${a.name.replace(/"/g, "'")}" ` : ""}<${a.address ?? ""}>`).join(", ");
}

function contentTypeLine(s: ImapBodyStructure | undefined): string | null {
  if (!s) return null;
  const params = Object.entries(s.parameters ?? {}).map(([k, v]) => `; ${k}="${v.replace(/"/g, "")}"`).join("");
  return `${s.type}${params}`;
}

/** The header block triage reads, from the envelope, the structure and the extra fields fetched. */
export function headersFromEnvelope(env: Envelope, structure: ImapBodyStructure | undefined, extra: Headers): Headers {
  const lines: string[] = [];
  if (env.from) lines.push(`From: ${bytes(addressLine(env.from))}`);
  if (env.sender && env.sender.length > 0) lines.push(`Sender: ${bytes(addressLine(env.sender))}`);
  if (env.to) lines.push(`To: ${bytes(addressLine(env.to))}`);
  if (env.subject !== undefined) lines.push(`Subject: ${bytes(env.subject)}`);
  if (env.date) lines.push(`Date: ${new Date(env.date).toUTCString()}`);
  if (env.messageId) lines.push(`Message-ID: ${env.messageId}`);
  if (env.inReplyTo) lines.push(`In-Reply-To: ${env.inReplyTo}`);
  const ct = contentTypeLine(structure);
  if (ct) lines.push(`Content-Type: ${bytes(ct)}`);
  const fromEnvelope = parseHeaderBlock(lines.join("\r\n"));
  return new Headers([...fromEnvelope.fields, ...extra.fields.filter((f) => !FROM_ENVELOPE.has(f.name))]);
}
