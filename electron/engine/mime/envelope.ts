/**
 * IMAP ENVELOPE (as imapflow returns it) back to header lines. The server sends an ENVELOPE for
 * every message and, inside BODYSTRUCTURE, for every attached message/rfc822: whatever it says
 * need not be fetched again as header fields.
 */
import { fieldOfLine, type HeaderField } from "./headers.js";

export interface EnvelopeAddress {
  name?: string | undefined;
  address?: string | undefined;
}

/** imapflow's envelope object has this shape (dates parsed when they could be). */
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

/** The header fields an ENVELOPE carries (lower case). */
export const ENVELOPE_FIELDS: ReadonlySet<string> = new Set(["from", "sender", "to", "cc", "subject", "date", "message-id", "in-reply-to"]);

/** An envelope's date in ms since the epoch, or null when it has none or none that parses. */
export function envelopeTime(date: Envelope["date"]): number | null {
  return date ? new Date(date).getTime() || null : null;
}

/** True when the envelope says nothing: the encapsulated message had no header where it belongs. */
export function isEmptyEnvelope(env: Envelope): boolean {
  return !env.date && !env.subject && !env.messageId && !(env.from && env.from.length > 0);
}

const LINE_BREAKS = /[\r\n]+/g;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Text as the bytes of a one-line header value (UTF-8 in a binary string), so decoding stays
 * uniform. ASCII text, nearly every value, is its own bytes: it is not copied through a Buffer.
 */
export function asHeaderBytes(text: string): string {
  const line = text.replace(LINE_BREAKS, " ");
  return NON_ASCII.test(line) ? Buffer.from(line, "utf8").toString("latin1") : line;
}

function addressLine(list: readonly EnvelopeAddress[]): string {
  return list.map((a) => `${a.name ? `"${a.name.replace(/"/g, "'")}" ` : ""}<${a.address ?? ""}>`).join(", ");
}

function dateLine(date: Date | string): string {
  if (typeof date === "string") return asHeaderBytes(date);
  return Number.isNaN(date.getTime()) ? "" : date.toUTCString();
}

/** The envelope's header fields: the name as a message writes it, and the value (binary string, one line). */
function envelopeEntries(env: Envelope): [string, string][] {
  const entries: [string, string][] = [];
  const addresses = (name: string, list: EnvelopeAddress[] | undefined): void => {
    if (list && list.length > 0) entries.push([name, asHeaderBytes(addressLine(list))]);
  };
  addresses("From", env.from);
  addresses("Sender", env.sender);
  addresses("To", env.to);
  addresses("Cc", env.cc);
  if (env.subject !== undefined) entries.push(["Subject", asHeaderBytes(env.subject)]);
  if (env.date) entries.push(["Date", dateLine(env.date)]);
  if (env.messageId) entries.push(["Message-ID", asHeaderBytes(env.messageId)]);
  if (env.inReplyTo) entries.push(["In-Reply-To", asHeaderBytes(env.inReplyTo)]);
  return entries;
}

/** Header lines (binary strings, no line ends) for what the envelope holds. */
export function envelopeHeaderLines(env: Envelope): string[] {
  return envelopeEntries(env).map(([name, value]) => `${name}: ${value}`);
}

/**
 * The same fields as parsed {@link HeaderField}s, as parseHeaderBlock would read those lines,
 * without writing them out and reading them back: the scan does this for every candidate.
 */
export function envelopeFields(env: Envelope): HeaderField[] {
  return envelopeEntries(env).map(([name, value]) => fieldOfLine(name, value));
}
