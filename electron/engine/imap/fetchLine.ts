/**
 * A fast reader for the untagged FETCH lines of a bulk fetch, in front of imapflow's own parser.
 *
 * Why: imapflow's tokenizer reads a line one character at a time, slicing a new string for every
 * character of a token and allocating a node per token; at 100,000 messages of ENVELOPE and
 * BODYSTRUCTURE that is ~50 µs a line, a third of a scan's CPU, and the garbage it leaves keeps
 * the collector busy. This reader walks the line's bytes once and builds imapflow's token shape
 * directly, so everything after it (fetchAnswer.ts, imapflow's ENVELOPE and BODYSTRUCTURE
 * parsers) reads the same values.
 *
 * It reads only the plain grammar a server writes for FETCH: lists, quoted strings, literals,
 * atoms, NIL, `BODY[section]<origin>`. Anything else (a sequence set, an 8-bit atom, odd spacing,
 * nesting deeper than {@link MAX_DEPTH}, a leading NUL) returns null, and imapflow's parser reads
 * that line with all its tolerances and limits. The test holds the two to the same output.
 */
import type { ImapAttribute, ImapAttributeList, ImapAttributeNode, ImapResponse } from "imapflow/lib/handler/types.js";

const STAR = 0x2a;
const SP = 0x20;
const QUOTE = 0x22;
const OPEN = 0x28;
const CLOSE = 0x29;
const BACKSLASH = 0x5c;
const OPEN_SECTION = 0x5b;
const CLOSE_SECTION = 0x5d;
const OPEN_LITERAL = 0x7b;
const CLOSE_LITERAL = 0x7d;
const CR = 0x0d;
const LF = 0x0a;
const LESS = 0x3c;
const GREATER = 0x3e;
const DOT = 0x2e;

/** Far below imapflow's 100, so every line that nears its limit goes to imapflow. */
const MAX_DEPTH = 50;
/** Far below imapflow's 1,000,000 tokens, for the same reason. */
const MAX_TOKENS = 100_000;

const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;

/**
 * ATOM-CHAR (RFC 9051) without `[`, `,` and `:`: `[` opens a section, and a digit-led token with
 * `,` or `:` is a sequence set to imapflow; lines holding them are left to it.
 */
const ATOM_BYTES = ((): Uint8Array => {
  const table = new Uint8Array(256);
  for (let b = 0x21; b < 0x7f; b++) table[b] = 1;
  for (const c of '(){%*"\\],:[') table[c.charCodeAt(0)] = 0;
  return table;
})();

/** Atoms that a `[` turns into a section, as imapflow reads them. */
const SECTIONED = new Set(["BODY", "BODY.PEEK", "BINARY", "BINARY.PEEK"]);

/** Thrown to end a read: one instance, so a line left to imapflow costs no stack trace. */
class Unreadable extends Error {}
const UNREADABLE = new Unreadable("not in the plain FETCH grammar");

/** The reader's state over one line; `fail()` ends the read and hands the line to imapflow. */
class LineReader {
  private i = 0;
  private literal = 0;
  private tokens = 0;
  /** The line as Latin-1: one character per byte, so ASCII tokens are sliced, not decoded. */
  private readonly text: string;

  constructor(
    private readonly line: Buffer,
    private readonly literals: readonly Buffer[],
  ) {
    this.text = line.toString("latin1");
  }

  private fail(): never {
    throw UNREADABLE;
  }

  private expect(byte: number): void {
    if (this.line[this.i] !== byte) this.fail();
    this.i++;
  }

  /** Reads a run of digits (at most `max`, at least one) and returns where it started. */
  private digits(max: number): number {
    const start = this.i;
    while (isDigit(this.line[this.i] ?? -1)) this.i++;
    if (this.i === start || this.i - start > max) this.fail();
    return start;
  }

  /** A quoted string can not run past the line or into a literal's line break. */
  private inQuoted(at: number): number {
    const b = this.line[at];
    if (b === undefined || b === CR || b === LF) this.fail();
    return b;
  }

  /** The whole line: `* <number> FETCH (...)` and nothing after it. */
  response(): ImapResponse {
    this.expect(STAR);
    this.expect(SP);
    const command = this.text.slice(this.digits(10), this.i);
    this.expect(SP);
    const fetch = this.text.slice(this.i, this.i + 5);
    if (fetch.toUpperCase() !== "FETCH") this.fail();
    this.i += 5;
    this.expect(SP);
    this.expect(OPEN);
    const items = this.elements(CLOSE, 1);
    if (this.i !== this.line.length) this.fail();
    return { tag: "*", command, attributes: [{ type: "ATOM", value: fetch }, items] };
  }

  /**
   * The elements of a list or section up to its `closer`, the opener already read. Elements are
   * separated by spaces; a list may follow a list directly, as in a multipart's
   * `("text" ...)("text" ...)`.
   */
  private elements(closer: number, depth: number): ImapAttributeList {
    if (depth > MAX_DEPTH) this.fail();
    const out: ImapAttributeList = [];
    if (this.line[this.i] === closer) {
      this.i++;
      return out;
    }
    for (;;) {
      if (++this.tokens > MAX_TOKENS) this.fail();
      const element = this.element(depth);
      out.push(element);
      const next = this.line[this.i];
      if (next === closer) {
        this.i++;
        return out;
      }
      if (next === SP) {
        this.i++;
        if (this.line[this.i] === SP || this.line[this.i] === closer) this.fail();
      } else if (next !== OPEN || !Array.isArray(element)) this.fail();
    }
  }

  private element(depth: number): ImapAttribute {
    const b = this.line[this.i];
    if (b === OPEN) {
      this.i++;
      return this.elements(CLOSE, depth + 1);
    }
    if (b === QUOTE) return this.quoted();
    if (b === OPEN_LITERAL) return this.literalValue();
    return this.atom(depth);
  }

  /** A quoted string: `\` escapes the next character; decoded as UTF-8, as imapflow decodes lines. */
  private quoted(): ImapAttributeNode {
    const start = ++this.i;
    let escaped = false;
    let eightBit = false;
    for (;;) {
      const b = this.inQuoted(this.i);
      if (b === QUOTE) break;
      if (b >= 0x80) eightBit = true;
      if (b === BACKSLASH) {
        escaped = true;
        this.inQuoted(++this.i);
      }
      this.i++;
    }
    const raw = eightBit ? this.line.toString("utf8", start, this.i) : this.text.slice(start, this.i);
    this.i++;
    return { type: "STRING", value: escaped ? raw.replace(/\\([\s\S])/g, "$1") : raw };
  }

  /** `{n}` CRLF: the stream framer kept the literal's bytes aside, in order. */
  private literalValue(): ImapAttributeNode {
    this.i++;
    this.digits(10);
    this.expect(CLOSE_LITERAL);
    this.expect(CR);
    this.expect(LF);
    const value = this.literals[this.literal++];
    if (!value) this.fail();
    return { type: "LITERAL", value };
  }

  /** An atom (NIL is null); `BODY[...]<n>` carries its section and origin as imapflow attaches them. */
  private atom(depth: number): ImapAttribute {
    const start = this.i;
    if (this.line[this.i] === BACKSLASH) this.i++; // a system flag, \Seen
    while (ATOM_BYTES[this.line[this.i] ?? 0] === 1) this.i++;
    if (this.i === start || (this.i === start + 1 && this.line[start] === BACKSLASH)) this.fail();
    const value = this.text.slice(start, this.i);
    if (this.line[this.i] !== OPEN_SECTION) return value.length === 3 && value.toUpperCase() === "NIL" ? null : { type: "ATOM", value };
    if (!SECTIONED.has(value.toUpperCase())) this.fail();
    this.i++;
    const node: ImapAttributeNode = { type: "ATOM", value, section: this.elements(CLOSE_SECTION, depth + 1) };
    if (this.line[this.i] === LESS) node.partial = this.partial();
    return node;
  }

  /** `<origin>` or `<origin.length>`, numbers without leading zeros, as imapflow accepts them. */
  private partial(): number[] {
    this.i++;
    const out: number[] = [];
    for (;;) {
      const start = this.digits(15);
      if (this.i - start > 1 && this.line[start] === 0x30) this.fail();
      out.push(Number(this.text.slice(start, this.i)));
      const next = this.line[this.i++];
      if (next === GREATER) return out;
      if (next !== DOT || out.length > 1) this.fail();
    }
  }
}

/**
 * One untagged FETCH line (`payload` as imapflow's stream framer hands it over, the literals'
 * bytes in `literals`) as imapflow's parser would return it, or null when the line is not in the
 * plain grammar this reader covers.
 */
export function readFetchLine(payload: Buffer, literals: readonly Buffer[]): ImapResponse | null {
  // Tagged completions and continuations, most of the lines that are not FETCH answers.
  if (payload[0] !== STAR) return null;
  try {
    return new LineReader(payload, literals).response();
  } catch (error) {
    if (error === UNREADABLE) return null;
    throw error;
  }
}

/** How many FETCH lines the fast reader read (the rest of the lines went to imapflow's parser). */
export interface FetchLineCounts {
  fast: number;
}
