/**
 * How an original travelled, from a copy of its header: its Received hops (RFC 5321 §4.4, with
 * the RFC 3848 protocol keywords that say a client authenticated) and its DKIM-Signature tags.
 * Also the BATV tag of a report's own recipient. Pure: header text in, facts out.
 */
import type { DkimTag, Hop, OriginalTrace, ReferenceSource } from "../../../shared/model.js";
import { parseAddressList, type Headers } from "../mime/headers.js";

/** The header fields a trace is read from: fetched beside an attached original's ENVELOPE. */
export { TRACE_FIELDS } from "../mime/imapStructure.js";

/** At most this many hops are read: a longer chain is a loop or hostile. */
const MAX_HOPS = 30;

const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/;
const IPV6 = /(?:IPv6:)?((?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:\d+\.\d+\.\d+\.\d+)?)/i;
const HOST = /^\[?([a-z0-9.:_-]+)\]?/i;

/** A Received clause's text inside parentheses (comments: the reverse name and IP) and outside them. */
function splitComments(text: string): { inside: string; outside: string } {
  let depth = 0;
  let inside = "";
  let outside = "";
  for (const c of text) {
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (depth > 0) inside += c;
    else outside += c;
  }
  return { inside, outside: outside.trim() };
}

/** The connecting IP of a `from` clause: the one in its comment (TCP-info), else the one written as the HELO. */
function clauseIp(text: string): string | null {
  return firstIp(splitComments(text).inside) ?? firstIp(text);
}

/** The first IP address written in `text` (IPv4, or IPv6 in brackets or bare), or null. */
function firstIp(text: string): string | null {
  const bracketed = /\[(?:IPv6:)?([0-9a-f:.]+)\]/i.exec(text)?.[1];
  if (bracketed && (IPV4.test(bracketed) || bracketed.includes(":"))) return bracketed.toLowerCase();
  const v4 = IPV4.exec(text)?.[0];
  if (v4) return v4;
  const v6 = IPV6.exec(text)?.[1];
  return v6 && v6.split(":").length > 2 ? v6.toLowerCase() : null;
}

/**
 * The clause after `keyword` up to the next clause keyword or the date: `from a.example (b [1.2.3.4])`.
 * Comments are kept, for the IP and the reverse name they hold.
 */
function clause(value: string, keyword: string): string | null {
  const re = new RegExp(`(?:^|\\s)${keyword}\\s+([\\s\\S]*?)(?=\\s(?:from|by|via|with|id|for)\\s|;|$)`, "i");
  const m = re.exec(value);
  return m?.[1]?.trim() ?? null;
}

function hostOf(text: string | null): string | null {
  if (!text) return null;
  const bare = HOST.exec(splitComments(text).outside)?.[1];
  return bare ? bare.toLowerCase().replace(/\.$/, "") : null;
}

/** One Received field's value as a {@link Hop}; fields without `from` or `by` still give what they have. */
export function parseReceived(value: string): Hop {
  const flat = value.replace(/\s+/g, " ");
  // The `from` clause holds its comment with the IP: `from helo (rdns [ip])`; `by` may follow the comment.
  const from = clause(flat, "from");
  const by = clause(flat, "by");
  const withProto = /(?:^|\s)with\s+([A-Za-z0-9/-]+)/i.exec(flat)?.[1] ?? null;
  return { from: hostOf(from), ip: from ? clauseIp(from) : null, by: hostOf(by), with: withProto ? withProto.toUpperCase() : null };
}

/** RFC 3848: a protocol keyword ending in A (ESMTPA, ESMTPSA, LMTPA, UTF8SMTPSA) means the client authenticated. */
export function isAuthenticated(hop: Hop): boolean {
  return hop.with !== null && /^(?:UTF8)?(?:E?SMTP|LMTP)S?A$/.test(hop.with);
}

/** `d=` and `s=` of a DKIM-Signature value, or null when either is missing. */
export function dkimTag(value: string): DkimTag | null {
  const tags = new Map<string, string>();
  for (const part of value.replace(/\s+/g, "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) tags.set(part.slice(0, eq).toLowerCase(), part.slice(eq + 1));
  }
  const domain = tags.get("d")?.toLowerCase();
  const selector = tags.get("s")?.toLowerCase();
  return domain && selector ? { domain, selector } : null;
}

/** The trace of an original from a copy of its header, or null when the copy holds neither hops nor signatures. */
export function readTrace(headers: Headers, source: ReferenceSource, attachedPart: string | null = null): OriginalTrace | null {
  const hops = headers.rawAll("received").slice(0, MAX_HOPS).map(parseReceived);
  const dkim = headers
    .rawAll("dkim-signature")
    .map(dkimTag)
    .filter((t): t is DkimTag => t !== null);
  if (hops.length === 0 && dkim.length === 0 && attachedPart === null) return null;
  return { source, hops, dkim, attachedPart };
}

/** A BATV-signed address (`prvs=KDDDSSSSSS=user@domain`, or the older `prvs=user/tag@domain`). */
const BATV = /^prvs=(?:\d{4}[0-9a-f]{6}=[^@]+|[^@/]+\/[0-9a-f]+)@/i;

/** The report's own recipient (To, Delivered-To, X-Original-To) that carries a BATV tag, or null. */
export function batvRecipient(headers: Headers): string | null {
  for (const name of ["delivered-to", "x-original-to", "to"]) {
    for (const value of headers.rawAll(name)) {
      const signed = parseAddressList(value).find((a) => BATV.test(a));
      if (signed) return signed;
    }
  }
  return null;
}

/**
 * Whether a BATV tag of the `prvs=KDDDSSSSSS=` form was made within `days` of `at` (ms): its DDD
 * is the day number modulo 1000, as the BATV draft signs it. The older form has no date: true.
 */
export function batvFresh(address: string, at: number, days = 7): boolean {
  const m = /^prvs=\d(\d{3})[0-9a-f]{6}=/i.exec(address);
  if (!m) return true;
  const today = Math.floor(at / 86_400_000) % 1000;
  const age = (today - Number(m[1]) + 1000) % 1000;
  return age <= days;
}
