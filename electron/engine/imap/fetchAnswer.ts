/**
 * UID FETCH items as IMAP tokens, and each untagged FETCH answer read back into plain data.
 *
 * Why not imapflow's `fetch()`: it formats every answer into a full message object (an md5 id,
 * every address and the subject through the encoded-word decoder, a key string compiled back
 * from each item's tokens), which costs as much CPU as tokenizing the answer. At 100,000 messages
 * that doubled the time of a scan. The answers here are tokens in imapflow's shape (from
 * fetchLine.ts, or imapflow's parser for a line it leaves), read with imapflow's own ENVELOPE and
 * BODYSTRUCTURE parsers, except that an envelope or a structure with nothing to decode (the common
 * case) is read directly: the result is the same object, built once.
 */
import type { MessageEnvelopeObject, MessageStructureObject } from "imapflow";
import type { ImapAttribute, ImapAttributeList, ImapAttributeNode } from "imapflow/lib/handler/types.js";
import { parseBodystructure, parseEnvelope } from "./imapflowInternals.js";

/** One thing to fetch of each message. */
export type FetchItem =
  | "UID"
  | "FLAGS"
  | "ENVELOPE"
  | "BODYSTRUCTURE"
  | "RFC822.SIZE"
  /** `BODY.PEEK[section]<start.maxBytes>`; section "" is the whole message, `fields` names HEADER.FIELDS. */
  | { section: string; fields?: readonly string[]; start?: number; maxBytes?: number };

/** What one message's answers held. Sections are keyed by their upper-case name ("1", "1.HEADER", "HEADER.FIELDS", ""). */
export interface FetchAnswer {
  uid: number;
  flags: Set<string> | null;
  envelope: MessageEnvelopeObject | null;
  structure: MessageStructureObject | undefined;
  size: number | null;
  sections: Map<string, Buffer>;
}

const atom = (value: string): ImapAttributeNode => ({ type: "ATOM", value });

/** The attribute list of a `UID FETCH <set> (...)` command. UID always comes first. */
export function fetchCommand(uidSet: string, items: readonly FetchItem[]): ImapAttributeList {
  const list: ImapAttributeList = [atom("UID")];
  for (const item of items) {
    if (item === "UID") continue;
    if (typeof item === "string") {
      list.push(atom(item));
      continue;
    }
    const section: ImapAttributeList = item.section ? [atom(item.section.toUpperCase())] : [];
    if (item.fields) section.push(item.fields.map((f) => atom(f.toUpperCase())));
    const partial = item.maxBytes !== undefined ? [item.start ?? 0, item.maxBytes] : undefined;
    list.push({ type: "ATOM", value: "BODY.PEEK", section, ...(partial ? { partial } : {}) });
  }
  return [{ type: "SEQUENCE", value: uidSet }, list];
}

const isNode = (a: ImapAttribute | undefined): a is ImapAttributeNode => !!a && !Array.isArray(a);

function text(a: ImapAttribute | undefined): string | null {
  if (!isNode(a)) return null;
  if (typeof a.value === "string") return a.value;
  if (Buffer.isBuffer(a.value)) return a.value.toString();
  return null;
}

/** A section is an nstring: a literal, or a quoted string some servers send for small parts. */
function bytesOf(a: ImapAttribute | undefined): Buffer | null {
  if (!isNode(a)) return null;
  if (Buffer.isBuffer(a.value)) return a.value;
  return typeof a.value === "string" ? Buffer.from(a.value) : null;
}

function uintOf(a: ImapAttribute | undefined): number | null {
  const t = text(a);
  return t !== null && /^\d{1,10}$/.test(t) ? Number(t) : null;
}

/**
 * One untagged FETCH answer (imapflow's tokens: `* n FETCH (key value ...)`) as a
 * {@link FetchAnswer}, or null when it carries no valid UID (an unsolicited flag update).
 */
export function readFetchAnswer(attributes: ImapAttributeList | undefined): FetchAnswer | null {
  const pairs = attributes?.[1];
  if (!Array.isArray(pairs)) return null;
  const answer: FetchAnswer = { uid: 0, flags: null, envelope: null, structure: undefined, size: null, sections: new Map() };
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const key = pairs[i];
    const value = pairs[i + 1];
    if (!isNode(key) || typeof key.value !== "string") continue;
    switch (key.value.toUpperCase()) {
      case "UID":
        answer.uid = uintOf(value) ?? 0;
        break;
      case "FLAGS":
        answer.flags = new Set(Array.isArray(value) ? value.map(text).filter((f): f is string => f !== null) : []);
        break;
      case "ENVELOPE":
        if (Array.isArray(value)) answer.envelope = envelopeOf(value);
        break;
      case "BODYSTRUCTURE":
        if (Array.isArray(value)) answer.structure = structureOf(value);
        break;
      case "RFC822.SIZE":
        answer.size = uintOf(value);
        break;
      case "BODY": {
        const name = text(key.section?.[0]);
        const got = bytesOf(value);
        if (got) answer.sections.set((name ?? "").toUpperCase(), got);
        break;
      }
    }
  }
  return answer.uid > 0 ? answer : null;
}

/** Folds a later answer for the same UID into the first (a server may split one message's items). */
export function mergeAnswers(into: FetchAnswer, from: FetchAnswer): void {
  into.flags = from.flags ?? into.flags;
  into.envelope = from.envelope ?? into.envelope;
  into.structure = from.structure ?? into.structure;
  into.size = from.size ?? into.size;
  for (const [k, v] of from.sections) into.sections.set(k, v);
}

/** A string imapflow's decoder would change: an encoded word, or its own join marker's NUL. */
const needsDecoding = (s: string): boolean => s.includes("=?") || s.includes("\0");

function anyNeedsDecoding(a: ImapAttribute | undefined): boolean {
  if (Array.isArray(a)) return a.some(anyNeedsDecoding);
  const t = text(a);
  return t !== null && needsDecoding(t);
}

type Address = { name: string; address: string };

/** imapflow's address rules (RFC 9051 §7.5.2: a NIL host is group syntax), without decoding. */
function addresses(list: ImapAttribute | undefined): Address[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out: Address[] = [];
  for (const entry of list) {
    if (!Array.isArray(entry)) continue;
    const name = unquote(text(entry[0]) ?? "");
    const mailbox = text(entry[2]) ?? "";
    const host = text(entry[3]) ?? "";
    const address = host ? { name, address: `${mailbox}@${host}` } : { name: name || unquote(mailbox), address: "" };
    if (address.name || address.address) out.push(address);
  }
  return out;
}

const unquote = (s: string): string => (s.length > 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

/**
 * An ENVELOPE as imapflow's `parseEnvelope` gives it. Without an encoded word anywhere its
 * decoder returns every string as it is, so that case is read here, in one pass.
 */
export function envelopeOf(entry: ImapAttributeList): MessageEnvelopeObject {
  if (anyNeedsDecoding(entry)) return parseEnvelope(entry);
  const envelope: MessageEnvelopeObject = {};
  const date = text(entry[0]);
  if (date) {
    const parsed = new Date(date);
    envelope.date = Number.isNaN(parsed.getTime()) ? date : parsed;
  }
  const subject = text(entry[1]);
  if (subject) envelope.subject = subject;
  const fields = ["from", "sender", "replyTo", "to", "cc", "bcc"] as const;
  fields.forEach((field, i) => {
    const list = addresses(entry[2 + i]);
    if (list) envelope[field] = list;
  });
  const inReplyTo = text(entry[8]);
  if (inReplyTo) envelope.inReplyTo = inReplyTo.trim();
  const messageId = text(entry[9]);
  if (messageId) envelope.messageId = messageId.trim();
  return envelope;
}

/** Keys imapflow's parameter reader rewrites (RFC 2231: `name*`, `name*0*`) or drops (an object's own). */
const SPECIAL_KEY = /\*|^(?:__proto__|constructor|prototype)$/;

/** A structure {@link structureOf} leaves to imapflow's parser. */
class Irregular extends Error {}
function irregular(): never {
  throw new Irregular();
}

const str = (a: ImapAttribute | undefined): string => text(a) ?? "";

function numberOf(a: ImapAttribute | undefined): number {
  if (!isNode(a) || typeof a.value !== "string") irregular();
  return Number(a.value || 0) || 0;
}

/** A parameter list as imapflow's getStructuredParams reads one that needs no decoding. */
function paramsOf(pairs: ImapAttribute | undefined): Record<string, string> {
  if (!Array.isArray(pairs)) irregular();
  const params: Record<string, string> = {};
  for (let j = 0; j + 1 < pairs.length; j += 2) {
    const key = str(pairs[j]).toLowerCase();
    const value = str(pairs[j + 1]);
    // Values are what imapflow decodes; `filename="utf-8''..."` is RFC 2231 in the wrong place, which it repairs.
    if (needsDecoding(value) || SPECIAL_KEY.test(key) || (key === "filename" && value.includes("'"))) irregular();
    params[key] = value;
  }
  return params;
}

/** One body (RFC 9051 §7.5.2 `body`) as imapflow's parseBodystructure walks it; `part` is its section number. */
function bodyOf(node: ImapAttribute | undefined, part: string): MessageStructureObject {
  if (!Array.isArray(node)) irregular();
  const out: MessageStructureObject = { type: "" };
  if (part) out.part = part;
  let i = 0;
  if (Array.isArray(node[0])) {
    out.childNodes = [];
    for (let n = 1; Array.isArray(node[i]); n++, i++) out.childNodes.push(bodyOf(node[i], part ? `${part}.${n}` : String(n)));
    out.type = `multipart/${str(node[i++]).toLowerCase()}`;
    if (i < node.length) {
      if (node[i]) out.parameters = paramsOf(node[i]);
      i++;
    }
  } else {
    out.type = `${str(node[i++]).toLowerCase()}/${str(node[i++]).toLowerCase()}`;
    if (node[i]) out.parameters = paramsOf(node[i]);
    i++;
    if (node[i]) out.id = str(node[i]);
    i++;
    if (node[i]) out.description = str(node[i]);
    i++;
    if (node[i]) out.encoding = str(node[i]).toLowerCase();
    i++;
    if (node[i]) out.size = numberOf(node[i]);
    i++;
    if (out.type === "message/rfc822") {
      const envelope = node[i++];
      if (envelope) out.envelope = Array.isArray(envelope) ? envelopeOf(envelope) : irregular();
      // The encapsulated message's body has the part number of the message/rfc822 part itself.
      if (node[i]) out.childNodes = [bodyOf(node[i], part)];
      i++;
      if (node[i]) out.lineCount = numberOf(node[i]);
      i++;
    }
    // A text part's line count, which some servers leave out (imapflow reads such an 11-item body without it).
    if (out.type.startsWith("text/") && !(node.length === 11 && Array.isArray(node[i + 1]) && !Array.isArray(node[i + 2]))) {
      if (node[i]) out.lineCount = numberOf(node[i]);
      i++;
    }
    if (i < node.length) {
      if (node[i]) out.md5 = str(node[i]).toLowerCase();
      i++;
    }
  }
  if (i < node.length) {
    const disposition = node[i];
    if (Array.isArray(disposition) && disposition.length > 0) {
      out.disposition = str(disposition[0]).toLowerCase();
      if (Array.isArray(disposition[1])) out.dispositionParameters = paramsOf(disposition[1]);
    }
    i++;
  }
  if (i < node.length) {
    const language = node[i];
    if (language) out.language = (Array.isArray(language) ? language : [language]).map((l) => str(l).toLowerCase());
    i++;
  }
  if (i < node.length && node[i]) out.location = str(node[i]);
  return out;
}

/**
 * A BODYSTRUCTURE as imapflow's `parseBodystructure` gives it. Read here in one pass when no
 * parameter value needs decoding and none uses RFC 2231 (the common case; an encapsulated
 * message's envelope goes through {@link envelopeOf}, which decides for itself); anything else,
 * or any shape off the grammar, goes to imapflow's parser.
 */
export function structureOf(
  entry: ImapAttributeList,
  theirs: (entry: ImapAttributeList) => MessageStructureObject = parseBodystructure,
): MessageStructureObject {
  try {
    return bodyOf(entry, "");
  } catch (error) {
    if (error instanceof Irregular) return theirs(entry);
    throw error;
  }
}
