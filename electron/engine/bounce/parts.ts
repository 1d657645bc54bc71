/**
 * Which body parts a report needs, and their text. {@link selectParts} and {@link secondLook} are
 * the contract between the scanner and the parser: the scanner fetches exactly these sections over
 * IMAP (capped), and the CLI's `parse` reads a file through the same selection
 * ({@link keepWhatIsRead}), so both see the same bytes.
 */
import type { SectionRead } from "../mime/imapStructure.js";
import { decodeText, decodeTransfer } from "../mime/charset.js";
import { isEncapsulated, isEncoded, type PartNode } from "../mime/tree.js";
import { holdsWholeOriginal } from "./original.js";

/**
 * The first look at a text part: enough for an MTA's prose and the header of the original it
 * copies in, which is all a report's verdict needs. The body of that copy (in backscatter, the
 * spam itself) is what makes a report large, and it is not read.
 */
export const FIRST_LOOK = 1024;
/**
 * A text part the first look cut before a whole copy of the original was seen is read on, up to
 * this many bytes in all: every inline copy of the original must be seen before a verdict of
 * backscatter (a relay's copy, or a forwarded report's own header, can come first and the
 * user's own Message-ID only in a second, nested copy).
 */
export const TEXT_CAP = 48 * 1024;
/** Machine-readable report parts are small; a larger one is hostile or broken. */
export const STATUS_CAP = 32 * 1024;
/** Header block of an attached original. */
export const HEADER_CAP = 32 * 1024;
/** At most this many text parts per message. */
export const MAX_TEXT_PARTS = 3;

const STATUS_TYPES = new Set([
  "message/delivery-status",
  "message/global-delivery-status",
  "message/disposition-notification",
  "message/global-disposition-notification",
  "message/feedback-report",
  "text/rfc822-headers",
  "message/global-headers",
]);

/**
 * One IMAP fetch: `BODY.PEEK[<part>]<start.maxBytes>`, `BODY.PEEK[<part>.HEADER]`, or (trace) the
 * Received and DKIM-Signature fields of an attached original whose ENVELOPE gave the rest.
 */

function isAttachment(node: PartNode): boolean {
  return node.disposition === "attachment" || node.filename !== null;
}

/** The parts of the top-level message (not of attached originals) in document order. */
function* ownParts(root: PartNode): Generator<PartNode> {
  yield root;
  for (const child of root.children) yield* ownParts(child);
}

/** Chooses the sections to fetch for a report: status parts, original headers, a few text parts. */
export function selectParts(root: PartNode): SectionRead[] {
  const requests: SectionRead[] = [];
  const texts: PartNode[] = [];
  for (const node of ownParts(root)) {
    if (node.type.startsWith("multipart/")) continue;
    if (STATUS_TYPES.has(node.type)) {
      requests.push({ part: node.part, section: "body", maxBytes: STATUS_CAP });
    } else if (isEncapsulated(node)) {
      if (node.message?.fromEnvelope) {
        // The envelope names the original; how it travelled is in fields the envelope lacks.
        requests.push({ part: node.part, section: "trace", maxBytes: HEADER_CAP });
        continue;
      }
      // A base64'd message/rfc822 has no parsable header section on the server: read its start.
      // So does one whose header is missing (a blank line first): its header is in the body.
      const wholeStart = isEncoded(node.encoding) || node.message?.headerless === true;
      requests.push({ part: node.part, section: wholeStart ? "body" : "header", maxBytes: HEADER_CAP });
    } else if (node.type.startsWith("message/")) {
      // message/partial and vendor types: some MTAs return the original's header in these.
      requests.push({ part: node.part, section: "body", maxBytes: HEADER_CAP });
    } else if (node.type.startsWith("text/") && !(isAttachment(node) && node.type !== "text/plain")) {
      texts.push(node);
    }
  }
  // Prose first, then text/plain attachments (some gateways attach the original's header as .txt).
  const plain = texts.filter((t) => t.type !== "text/html").sort((a, b) => Number(isAttachment(a)) - Number(isAttachment(b)));
  const chosen = (plain.length > 0 ? plain : texts).slice(0, MAX_TEXT_PARTS);
  for (const t of chosen) requests.push({ part: t.part, section: "body", maxBytes: FIRST_LOOK });
  return requests;
}

/**
 * After the first look: the rest of each text part it cut before a whole copy of the original's
 * header was seen (up to {@link TEXT_CAP} in all), or [] when what was read is enough.
 */
export function secondLook(root: PartNode, first: readonly SectionRead[]): SectionRead[] {
  const looked = new Set(first.filter((r) => r.section === "body" && r.maxBytes === FIRST_LOOK).map((r) => r.part));
  const more: SectionRead[] = [];
  for (const node of ownParts(root)) {
    if (!looked.has(node.part) || !node.truncated || !node.type.startsWith("text/")) continue;
    if (!holdsWholeOriginal(partText(node).replace(/\r\n?/g, "\n")))
      more.push({ part: node.part, section: "body", start: FIRST_LOOK, maxBytes: TEXT_CAP - FIRST_LOOK });
  }
  return more;
}

/** How far a set of requests reads each section: the furthest end among them. */
function readUpTo(requests: readonly SectionRead[]): Map<string, number> {
  const ends = new Map<string, number>();
  for (const r of requests) {
    const key = `${r.part}|${r.section}`;
    ends.set(key, Math.max(ends.get(key) ?? 0, (r.start ?? 0) + r.maxBytes));
  }
  return ends;
}

/**
 * A copy of a parsed tree that holds only what {@link selectParts} asked for, cut at the caps:
 * exactly what the scanner has after its IMAP fetches.
 */
export function keepSelected(root: PartNode, requests: readonly SectionRead[]): PartNode {
  const wanted = readUpTo(requests);
  const copy = (node: PartNode, inOriginal: boolean): PartNode => {
    const out: PartNode = { ...node, children: node.children.map((c) => copy(c, inOriginal)) };
    delete out.body;
    delete out.truncated;
    delete out.message;
    const bodyCap = inOriginal ? undefined : wanted.get(`${node.part}|body`);
    if (bodyCap !== undefined && node.body !== undefined) {
      out.body = node.body.slice(0, bodyCap);
      if (node.body.length > bodyCap) out.truncated = true;
    }
    if (node.message) {
      const headerCap = inOriginal ? undefined : wanted.get(`${node.part}|header`);
      out.message = { root: copy(node.message.root, true) };
      if (headerCap !== undefined && node.message.header !== undefined) out.message.header = node.message.header.slice(0, headerCap);
    }
    return out;
  };
  return copy(root, false);
}

/** What the scanner reads of a whole message: the selected parts, the first look, and the second where one is needed. */
export function keepWhatIsRead(root: PartNode): PartNode {
  const first = selectParts(root);
  const seen = keepSelected(root, first);
  const more = secondLook(seen, first);
  return more.length > 0 ? keepSelected(root, [...first, ...more]) : seen;
}

/** Decoded text of a leaf part, or "" when its body was not fetched. */
export function partText(node: PartNode): string {
  if (node.body === undefined) return "";
  const text = decodeText(decodeTransfer(node.body, node.encoding), node.params["charset"]);
  return node.type === "text/html" ? htmlToText(text) : text;
}

/** Hostile HTML to plain text: tags dropped, entities for the characters reports use decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<br\s*\/?>|<\/(?:p|div|tr|li|h\d)>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/gi, "<")
    .replace(/&gt;/gi, ">")
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&nbsp;/gi, " ")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Math.min(Number(n), 0x10ffff)))
    .replace(/&amp;/gi, "&");
}
