/**
 * The one Message-ID normaliser. Every place that stores or compares Message-IDs goes through
 * {@link normaliseMessageId}, so "<ABC@Example.COM>" in a bounce and "ABC@example.com" in the
 * sent index are the same key.
 *
 * Rules (RFC 5322 §3.6.4 msg-id = "<" id-left "@" id-right ">"):
 * - angle brackets, RFC 5322 comments "(...)" and folding whitespace are stripped;
 * - the local part (id-left) is compared exactly as written: generators use case to encode
 *   entropy, so "AbC@x" and "abc@x" are different messages;
 * - the domain part (id-right) is compared case-insensitively, like any domain, so it is
 *   lower-cased;
 * - an id without "@" (some broken mailers) is kept as written, minus brackets and spaces.
 */

/** Longest id we accept: RFC 5322 lines are at most 998 characters. */
const MAX_ID_LENGTH = 998;

function stripComments(value: string): string {
  if (!value.includes("(")) return value;
  let out = "";
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === "\\" && i + 1 < value.length) {
      if (depth === 0) out += ch + value[i + 1];
      i++;
      continue;
    }
    if (ch === '"' && depth === 0) quoted = !quoted;
    if (!quoted && ch === "(") depth++;
    else if (!quoted && ch === ")" && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

/**
 * Normalises one Message-ID as found in a header or a bounce body. Returns null for values
 * that cannot be an id (empty, too long, spaces inside after unfolding, control characters).
 */
export function normaliseMessageId(raw: string): string | null {
  let value = stripComments(raw).replace(/\s+/g, "");
  if (value.startsWith("<")) value = value.slice(1);
  const close = value.indexOf(">");
  if (close >= 0) value = value.slice(0, close);
  if (value.length === 0 || value.length > MAX_ID_LENGTH) return null;
  // Printable US-ASCII or UTF-8 text only: no control characters, no brackets left inside.
  if (/[\u0000-\u001f\u007f<>]/.test(value)) return null;
  const at = value.lastIndexOf("@");
  if (at < 0) return value;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (local.length === 0 || domain.length === 0) return null;
  return `${local}@${domain}`;
}

/**
 * Extracts every Message-ID from a header value that may hold several (References,
 * In-Reply-To) or one without brackets (some MTAs write `Message-ID: abc@host`).
 * Results are normalised and de-duplicated, in order of appearance.
 */
export function extractMessageIds(value: string): string[] {
  const cleaned = stripComments(value);
  const found: string[] = [];
  const bracketed = cleaned.match(/<[^<>]*>/g);
  const candidates = bracketed ?? [cleaned.trim().split(/\s+/)[0] ?? ""];
  for (const candidate of candidates) {
    const id = normaliseMessageId(candidate);
    if (id && id.includes("@") === candidate.includes("@") && !found.includes(id)) found.push(id);
  }
  return found;
}

/** True when two ids, normalised, are the same message. */
export function sameMessageId(a: string, b: string): boolean {
  const na = normaliseMessageId(a);
  return na !== null && na === normaliseMessageId(b);
}

/** The domain (id-right) of a normalised id, or null when it has none. */
export function messageIdDomain(id: string): string | null {
  const at = id.lastIndexOf("@");
  return at < 0 ? null : id.slice(at + 1);
}
