/**
 * What text a regex cannot match without: for each pattern, a few strings such that every match
 * contains at least one of them. IMAP SEARCH looks for substrings (case-insensitive), so these
 * strings let the server find every message a phrase list could match, and a few more.
 *
 * Reads the subset of regex syntax the phrase lists use: literals and escapes, groups
 * (`(?:…)`, capturing, lookarounds), classes, `.`, anchors and quantifiers. Anything it cannot
 * pin to a literal (a class, `.`, a repeat) is a gap between strings, never a guess.
 */

/** One parsed element: a literal character, a group of alternatives, a zero-width assertion, or anything else. */
type Atom = { kind: "char"; c: string } | { kind: "group"; alternatives: Piece[][] } | { kind: "zero" } | { kind: "other" };

interface Piece {
  atom: Atom;
  min: number;
  /** Infinity for `*`, `+` and `{m,}`. */
  max: number;
}

/** Strings per candidate set: enough for `(?:é|e)chec de (?:la )?(…)`, bounded so sets stay a handful of SEARCH keys. */
const MAX_SET = 32;

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Piece[][] {
    const out = this.alternatives();
    if (this.i < this.src.length) throw new Error(`unbalanced ")" at ${this.i} in /${this.src}/`);
    return out;
  }

  private alternatives(): Piece[][] {
    const out: Piece[][] = [[]];
    while (this.i < this.src.length) {
      const c = this.src[this.i] ?? "";
      if (c === ")") break;
      if (c === "|") {
        this.i++;
        out.push([]);
        continue;
      }
      const atom = this.atom();
      out[out.length - 1]?.push({ atom, ...this.quantifier() });
    }
    return out;
  }

  private atom(): Atom {
    const c = this.src[this.i++] ?? "";
    if (c === "\\") return this.escape();
    if (c === "[") return this.skipClass();
    if (c === "(") return this.group();
    if (c === "^" || c === "$") return { kind: "zero" };
    if (c === ".") return { kind: "other" };
    return { kind: "char", c };
  }

  private escape(): Atom {
    const c = this.src[this.i++] ?? "";
    if (c === "b" || c === "B") return { kind: "zero" };
    if (/[dDsSwWpPuxck0-9]/.test(c)) {
      if (c === "p" || c === "P" || c === "u") this.skipBraces();
      return { kind: "other" };
    }
    const named: Record<string, string> = { n: "\n", t: "\t", r: "\r" };
    return { kind: "char", c: named[c] ?? c };
  }

  private skipBraces(): void {
    if (this.src[this.i] !== "{") return;
    this.i = this.src.indexOf("}", this.i) + 1;
  }

  private skipClass(): Atom {
    for (; this.i < this.src.length; this.i++) {
      const c = this.src[this.i];
      if (c === "\\") this.i++;
      else if (c === "]") break;
    }
    this.i++;
    return { kind: "other" };
  }

  private group(): Atom {
    let zeroWidth = false;
    if (this.src[this.i] === "?") {
      const head = this.src.slice(this.i, this.i + 3);
      zeroWidth = /^\?(?:[=!]|<[=!])/.test(head);
      if (zeroWidth) this.i += head.startsWith("?<") ? 3 : 2;
      else if (head.startsWith("?:")) this.i += 2;
      else if (head.startsWith("?<")) this.i = this.src.indexOf(">", this.i) + 1;
    }
    const alternatives = this.alternatives();
    if (this.src[this.i] !== ")") throw new Error(`unclosed group in /${this.src}/`);
    this.i++;
    return zeroWidth ? { kind: "zero" } : { kind: "group", alternatives };
  }

  private quantifier(): { min: number; max: number } {
    const c = this.src[this.i];
    let q = { min: 1, max: 1 };
    if (c === "?") q = { min: 0, max: 1 };
    else if (c === "*") q = { min: 0, max: Infinity };
    else if (c === "+") q = { min: 1, max: Infinity };
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return q;
      this.i += m[0].length - 1;
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity };
    } else return q;
    this.i++;
    if (this.src[this.i] === "?") this.i++; // lazy: the same strings
    return q;
  }
}

/** Every string pairing one of `a` with one of `b`, or null past {@link MAX_SET}. */
function product(a: readonly string[], b: readonly string[]): string[] | null {
  if (a.length * b.length > MAX_SET) return null;
  return [...new Set(a.flatMap((x) => b.map((y) => x + y)))];
}

/** The exact strings an atom matches (lower-cased), or null when they are not a small finite set. */
function exact(atom: Atom): string[] | null {
  if (atom.kind === "char") return [atom.c.toLowerCase()];
  if (atom.kind === "zero") return [""];
  if (atom.kind === "other") return null;
  const out = new Set<string>();
  for (const sequence of atom.alternatives) {
    const strings = exactSequence(sequence);
    if (!strings) return null;
    for (const s of strings) out.add(s);
    if (out.size > MAX_SET) return null;
  }
  return [...out];
}

function exactPiece(piece: Piece): string[] | null {
  if (piece.max === Infinity || piece.max > 3) return null;
  const one = exact(piece.atom);
  if (!one) return null;
  let out: string[] | null = [""];
  const options = new Set<string>();
  for (let n = 0; n <= piece.max && out; n++) {
    if (n >= piece.min) for (const s of out) options.add(s);
    if (n < piece.max) out = product(out, one);
  }
  return options.size > MAX_SET ? null : [...options];
}

function exactSequence(sequence: readonly Piece[]): string[] | null {
  let out: string[] | null = [""];
  for (const piece of sequence) {
    const strings = exactPiece(piece);
    if (!strings || !out) return null;
    out = product(out, strings);
  }
  return out;
}

const weight = (strings: readonly string[]): number => Math.min(...strings.map((s) => Buffer.byteLength(s)));

/** The better of two candidate sets: the longer shortest string, then the fewer strings. */
function better(a: string[] | null, b: string[] | null): string[] | null {
  if (!a) return b;
  if (!b) return a;
  const [wa, wb] = [weight(a), weight(b)];
  return wb > wa || (wb === wa && b.length < a.length) ? b : a;
}

/** Strings one of which every match of `sequence` contains; null when none can be named. */
function requiredInSequence(sequence: readonly Piece[]): string[] | null {
  let best: string[] | null = null;
  // Runs of pieces with finite exact strings: every window's product is a required set.
  for (let start = 0; start < sequence.length; start++) {
    let strings: string[] | null = [""];
    for (let end = start; end < sequence.length && strings; end++) {
      const piece = sequence[end];
      const own = piece ? exactPiece(piece) : null;
      strings = own ? product(strings, own) : null;
      if (strings && !strings.includes("")) best = better(best, strings);
    }
  }
  // A group every match goes through: what each of its alternatives requires.
  for (const piece of sequence) {
    if (piece.atom.kind === "group" && piece.min >= 1) best = better(best, requiredInAlternatives(piece.atom.alternatives));
  }
  return best;
}

function requiredInAlternatives(alternatives: readonly (readonly Piece[])[]): string[] | null {
  const out = new Set<string>();
  for (const sequence of alternatives) {
    const strings = requiredInSequence(sequence);
    if (!strings) return null;
    for (const s of strings) out.add(s);
  }
  return [...out];
}

/**
 * Lower-cased strings, one of which every match of `pattern` contains (matched without regard to
 * case, as IMAP SEARCH compares). Throws when some alternative of the pattern has no literal text
 * to search for: such a pattern cannot be searched for on the server.
 */
export function requiredText(pattern: RegExp): string[] {
  const alternatives = new Parser(pattern.source).parse();
  const out = new Set<string>();
  for (const sequence of alternatives) {
    const strings = requiredInSequence(sequence);
    if (!strings) throw new Error(`/${pattern.source}/ has an alternative without literal text to search for`);
    for (const s of strings) out.add(s);
  }
  // A string that contains another adds nothing to a substring search.
  return [...out].filter((s) => ![...out].some((t) => t !== s && s.includes(t))).sort();
}
