/**
 * Recovering the message a report refers to: from an attached original's header, a
 * text/rfc822-headers part, or an original copied inline into the report's prose — after an MTA's
 * marker line, indented, or `>`-quoted and folded.
 */
import type { OriginalMessage } from "../../../shared/model.js";
import { extractMessageIds } from "../../../shared/messageId.js";
import { parseAddressList, parseContentType, parseHeaderBlock, type Headers } from "../mime/headers.js";
import { SYSTEM_SENDER } from "./phrases.js";

/** Header names whose presence makes a run of `Name: value` lines look like a message header. */
const CORE_FIELDS = new Set([
  "message-id",
  "from",
  "to",
  "subject",
  "date",
  "received",
  "return-path",
  "mime-version",
  "content-type",
  "cc",
  "reply-to",
  "sender",
  "x-mailer",
  "delivered-to",
  "references",
  "in-reply-to",
  "user-agent",
]);
/** At least one of these must be present: they identify a message, not a DSN or a transcript. */
const IDENTIFYING_FIELDS = ["message-id", "from", "to", "subject", "date"];

const FIELD_LINE = /^([A-Za-z][A-Za-z0-9-]{0,60}):(?:[ \t]|$)/;
const QUOTE_PREFIX = /^[ \t]*(?:>[ \t]?)*/;

export interface InlineOriginal {
  headers: Headers;
  /** Offset in the text where the copied header starts: prose before it is the report's own. */
  start: number;
  /** Offset just past its last line; the text's length when the text ends inside it (it may go on). */
  end: number;
}

/**
 * Finds header blocks copied into a report's text. A block is a run of field lines (after
 * removing `>` quoting and indentation) with continuation lines, containing at least two core
 * fields and one identifying field. Returns them in order of appearance.
 */
export function findInlineOriginals(text: string): InlineOriginal[] {
  const found: InlineOriginal[] = [];
  const lines = text.split("\n");
  let offset = 0;
  let block: string[] = [];
  let blockStart = 0;
  let names = new Set<string>();
  const flush = (end: number): void => {
    const core = [...names].filter((n) => CORE_FIELDS.has(n)).length;
    if (core >= 2 && IDENTIFYING_FIELDS.some((n) => names.has(n))) {
      found.push({ headers: parseHeaderBlock(block.join("\n")), start: blockStart, end });
    }
    block = [];
    names = new Set();
  };
  let basePrefix = 0;
  for (const rawLine of lines) {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    const prefix = QUOTE_PREFIX.exec(line)?.[0] ?? "";
    const content = line.slice(prefix.length);
    const field = FIELD_LINE.exec(content);
    if (field && (block.length === 0 || prefix.length <= basePrefix)) {
      if (block.length === 0) {
        blockStart = offset;
        basePrefix = prefix.length;
      }
      block.push(content);
      names.add((field[1] ?? "").toLowerCase());
    } else if (block.length > 0 && content.length > 0 && (prefix.length > basePrefix || /^<[^<>\s]+>$/.test(content.trim()))) {
      // A folded continuation, or a quoted fold that lost its indentation ("> <id@host>").
      block.push(" " + content.trim());
    } else if (block.length > 0) {
      flush(offset);
    }
    offset += rawLine.length + 1;
  }
  if (block.length > 0) flush(text.length);
  return found;
}

/**
 * True when `text` holds a whole copy of an original's header: one with a Message-ID, ended by
 * a whole line (text cut inside a field line can end a block that goes on), and not the header
 * of a report itself (a bounce forwarded by a person or a relay quotes the report's header first
 * and the original only further down).
 */
export function holdsWholeOriginal(text: string): boolean {
  return findInlineOriginals(text).some(({ headers, end }) => {
    if (!text.includes("\n", end) || extractMessageIds(headers.raw("message-id") ?? "").length === 0) return false;
    const from = parseAddressList(headers.raw("from"))[0] ?? "";
    return parseContentType(headers.raw("content-type")).type !== "multipart/report" && !SYSTEM_SENDER.test(from.split("@")[0] ?? "");
  });
}

/** Message-IDs written as `Message-ID: <...>` anywhere in prose (not in a recognised block). */
export function messageIdLines(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/message-?id\s*[:=]\s*\n?[ \t>]*(<[^<>\s]+>|[^\s<>]+@[^\s<>,;]+)/gi)) {
    for (const id of extractMessageIds(m[1] ?? "")) if (!out.includes(id)) out.push(id);
  }
  return out;
}

/** The original's identifying fields from its (recovered) header. */
export function originalFromHeaders(headers: Headers): OriginalMessage {
  const ids = extractMessageIds(headers.raw("message-id") ?? "");
  return {
    from: parseAddressList(headers.raw("from"))[0] ?? null,
    to: [...parseAddressList(headers.raw("to")), ...parseAddressList(headers.raw("cc"))],
    subject: headers.text("subject"),
    date: headers.text("date"),
    messageId: ids[0] ?? null,
  };
}

export const EMPTY_ORIGINAL: OriginalMessage = { from: null, to: [], subject: null, date: null, messageId: null };

/** Fills the gaps of `into` with fields of `from` (first source wins). */
export function mergeOriginal(into: OriginalMessage, from: OriginalMessage): OriginalMessage {
  return {
    from: into.from ?? from.from,
    to: into.to.length > 0 ? into.to : from.to,
    subject: into.subject ?? from.subject,
    date: into.date ?? from.date,
    messageId: into.messageId ?? from.messageId,
  };
}
