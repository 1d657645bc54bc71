/**
 * Header blocks: split, unfold, decode. Works on binary strings (see charset.ts) so the same code
 * reads a whole message, an IMAP `BODY[HEADER]` fetch, or an original quoted in a bounce body.
 */
import { decodeBase64, decodeQuotedPrintable, decodeText, isAscii } from "./charset.js";

/** Header fields longer than this are cut: a hostile bounce must not make us copy megabytes. */
const MAX_FIELD_LENGTH = 16 * 1024;
/** Header blocks with more fields than this keep the first ones only. */
const MAX_FIELDS = 2000;

export interface HeaderField {
  /** Lower-cased field name. */
  name: string;
  /** Unfolded raw value (binary string), without the leading space. */
  raw: string;
}

/** An ordered, case-insensitive list of header fields. */
export class Headers {
  constructor(readonly fields: readonly HeaderField[]) {}

  has(name: string): boolean {
    return this.fields.some((f) => f.name === name);
  }

  /** First raw value of a field, or null. */
  raw(name: string): string | null {
    for (const f of this.fields) if (f.name === name) return f.raw;
    return null;
  }

  /** Every raw value of a field, in order. */
  rawAll(name: string): string[] {
    const out: string[] = [];
    for (const f of this.fields) if (f.name === name) out.push(f.raw);
    return out;
  }

  /** The fields named (lower-case), in order: what `BODY[HEADER.FIELDS (...)]` returns. */
  only(names: readonly string[]): Headers {
    const wanted = new Set(names);
    return new Headers(this.fields.filter((f) => wanted.has(f.name)));
  }

  /** First value decoded to text (RFC 2047 words, 8-bit UTF-8), trimmed, or null. */
  text(name: string): string | null {
    const raw = this.raw(name);
    return raw === null ? null : decodeHeaderValue(raw).trim();
  }
}

/** The field a header line `name:value` holds: the name lower-cased, the value cut and trimmed. */
export function headerField(name: string, value: string): HeaderField {
  return { name: name.trim().toLowerCase(), raw: value.slice(0, MAX_FIELD_LENGTH).trim() };
}

/**
 * The field the line `Name: value` would hold (the one space after the colon counted against the
 * length limit), without writing the line out: the scan builds one for each envelope field of
 * half its messages, and the copy the line would cost was a tenth of the read-ahead's garbage.
 */
export function fieldOfLine(name: string, value: string): HeaderField {
  return { name: name.toLowerCase(), raw: value.slice(0, MAX_FIELD_LENGTH - 1).trim() };
}

/**
 * Splits a header block (binary string, up to the blank line) into fields. Tolerates LF or CRLF,
 * continuation lines, junk lines without a colon (skipped), and an mbox "From " line on top.
 */
export function parseHeaderBlock(block: string): Headers {
  const fields: HeaderField[] = [];
  let current: HeaderField | null = null;
  for (let start = 0; start <= block.length;) {
    // Cut at LF or CRLF as split(/\r?\n/) would, without splitting what follows the header.
    const nl = block.indexOf("\n", start);
    const line = nl < 0 ? block.slice(start) : block.slice(start, nl > start && block.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
    start = nl < 0 ? block.length + 1 : nl + 1;
    if (line.length === 0) break;
    if ((line[0] === " " || line[0] === "\t") && current) {
      if (current.raw.length < MAX_FIELD_LENGTH) current.raw += " " + line.trim();
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0 || /\s/.test(line.slice(0, colon).trimEnd())) {
      current = null;
      continue;
    }
    if (fields.length >= MAX_FIELDS) break;
    current = headerField(line.slice(0, colon), line.slice(colon + 1));
    fields.push(current);
  }
  for (const f of fields) if (f.raw.length > MAX_FIELD_LENGTH) f.raw = f.raw.slice(0, MAX_FIELD_LENGTH);
  return new Headers(fields);
}

/** Index where the body starts (after the first empty line), or the length when there is none. */
export function headerEnd(message: string): { headerLength: number; bodyStart: number } {
  const m = /\r?\n\r?\n/.exec(message);
  if (!m) return { headerLength: message.length, bodyStart: message.length };
  return { headerLength: m.index, bodyStart: m.index + m[0].length };
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/** Decodes RFC 2047 encoded words and raw 8-bit UTF-8 in a header value (binary string in, text out). */
export function decodeHeaderValue(raw: string): string {
  const text = isAscii(raw) ? raw : decodeText(raw);
  if (!text.includes("=?")) return text;
  // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
  const joined = text.replace(/(\?=)\s+(?==\?)/g, "$1");
  return joined.replace(ENCODED_WORD, (word, charset: string, enc: string, data: string) => {
    const cs = charset.split("*")[0] ?? charset; // RFC 2231 language suffix
    const binary = enc.toUpperCase() === "B" ? decodeBase64(data) : decodeQuotedPrintable(data.replace(/_/g, " "));
    try {
      return decodeText(binary, cs);
    } catch {
      return word;
    }
  });
}

export interface ContentType {
  /** Lower-cased "type/subtype"; "text/plain" when missing or malformed (RFC 2045 §5.2). */
  type: string;
  params: Record<string, string>;
}

/**
 * Parses a Content-Type (or Content-Disposition) value with its parameters, including quoted
 * strings and RFC 2231 continuations/charset (`filename*0*=utf-8''...`).
 */
export function parseParameterised(raw: string | null): { value: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  if (!raw) return { value: "", params };
  const semi = raw.indexOf(";");
  const value = (semi < 0 ? raw : raw.slice(0, semi)).trim().toLowerCase();
  if (semi < 0) return { value, params };
  const re = /;\s*([^=\s;]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)/g;
  re.lastIndex = semi;
  const continued: Record<string, { parts: string[]; charset: string | null }> = {};
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const key = (m[1] ?? "").toLowerCase();
    let val = (m[2] ?? "").trim();
    if (val.startsWith('"')) val = val.replace(/^"|"$/g, "").replace(/\\(.)/g, "$1");
    const star = /^([^*]+)\*(\d+)?(\*)?$/.exec(key);
    if (!star) {
      params[key] = val;
      continue;
    }
    const base = star[1] ?? key;
    const entry = (continued[base] ??= { parts: [], charset: null });
    let piece = val;
    if (star[3] || (!star[2] && key.endsWith("*"))) {
      const firstQuote = /^([^']*)'[^']*'(.*)$/.exec(piece);
      if (firstQuote && (star[2] === undefined || star[2] === "0")) {
        entry.charset = firstQuote[1] || null;
        piece = firstQuote[2] ?? "";
      }
      piece = piece.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    }
    entry.parts[Number(star[2] ?? 0)] = piece;
  }
  for (const [key, entry] of Object.entries(continued)) {
    params[key] = decodeText(entry.parts.join(""), entry.charset ?? "utf-8");
  }
  return { value, params };
}

export function parseContentType(raw: string | null): ContentType {
  const { value, params } = parseParameterised(raw);
  const type = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(value) ? value : "text/plain";
  return { type, params };
}

// Bounded (local part 64, domain 255, as RFC 5321 has them) so a huge line cannot make it quadratic.
const ADDRESS = /<?([^\s<>(),;:"@]{1,64}@[^\s<>(),;:"]{1,255}?)>?(?=[\s,;>)]|$)/g;
const HAS_ADDRESS = new RegExp(ADDRESS.source);
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/**
 * Addresses (lower-cased) found in an address-list header value such as To or From. Display
 * names, quoted or RFC 2047-encoded, are skipped: "=?utf-8?Q?bob=40x.org?= <eve@y.org>" is eve.
 * Only where nothing else is left is the encoded text read (some writers encode the whole value).
 */
export function parseAddressList(raw: string | null): string[] {
  if (!raw) return [];
  const plain = decodeHeaderValue(raw.replace(QUOTED, " ").replace(ENCODED_WORD, " "));
  const text = HAS_ADDRESS.test(plain) ? plain : decodeHeaderValue(raw).replace(QUOTED, " ");
  const out: string[] = [];
  for (const m of text.matchAll(ADDRESS)) {
    const addr = (m[1] ?? "").replace(/\.$/, "").toLowerCase();
    if (!out.includes(addr)) out.push(addr);
  }
  return out;
}
