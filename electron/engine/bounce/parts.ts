/**
 * Which body parts a report needs, and their text. {@link selectParts} is the contract between
 * the scanner and the parser: the scanner fetches exactly these sections over IMAP (capped), and
 * the CLI's `parse` reads a file through the same selection, so both see the same bytes.
 */
import { decodeText, decodeTransfer } from "../mime/charset.js";
import { isEncapsulated, isEncoded, type PartNode } from "../mime/tree.js";

/**
 * Text parts are read up to this many bytes: enough for the prose and every inline copy of the
 * original. Not less: a verdict of backscatter must have seen every reference the text holds
 * (a relay's copy can come first and the user's own Message-ID only in a second, nested copy).
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

/** One IMAP fetch: `BODY.PEEK[<part>]` or `BODY.PEEK[<part>.HEADER]`, at most maxBytes. */
export interface PartRequest {
  part: string;
  section: "body" | "header";
  maxBytes: number;
}

function isAttachment(node: PartNode): boolean {
  return node.disposition === "attachment" || node.filename !== null;
}

/** The parts of the top-level message (not of attached originals) in document order. */
function* ownParts(root: PartNode): Generator<PartNode> {
  yield root;
  for (const child of root.children) yield* ownParts(child);
}

/** Chooses the sections to fetch for a report: status parts, original headers, a few text parts. */
export function selectParts(root: PartNode): PartRequest[] {
  const requests: PartRequest[] = [];
  const texts: PartNode[] = [];
  for (const node of ownParts(root)) {
    if (node.type.startsWith("multipart/")) continue;
    if (STATUS_TYPES.has(node.type)) {
      requests.push({ part: node.part, section: "body", maxBytes: STATUS_CAP });
    } else if (isEncapsulated(node)) {
      if (node.message?.fromEnvelope) continue;
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
  for (const t of chosen) requests.push({ part: t.part, section: "body", maxBytes: TEXT_CAP });
  return requests;
}

/**
 * A copy of a parsed tree that holds only what {@link selectParts} asked for, cut at the caps:
 * exactly what the scanner has after its IMAP fetches.
 */
export function keepSelected(root: PartNode, requests: readonly PartRequest[]): PartNode {
  const wanted = new Map(requests.map((r) => [`${r.part}|${r.section}`, r.maxBytes]));
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
