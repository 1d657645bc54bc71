/**
 * A lean MIME walker. It builds the same shape IMAP's BODYSTRUCTURE describes — part numbers
 * included — so the bounce parser reads a whole message from disk and the parts an IMAP server
 * hands us through one type, {@link PartNode}. mailparser is far slower on this hot path because
 * it decodes every part, attachments included; here bodies stay raw until someone asks.
 */
import { headerEnd, parseContentType, parseHeaderBlock, parseParameterised, type Headers } from "./headers.js";

/** Nesting deeper than this is kept as one opaque part (Dovecot caps near 100 as well). */
export const MAX_DEPTH = 60;
/** A message with more parts than this keeps the first ones only. */
export const MAX_PARTS = 400;

export interface PartNode {
  /** IMAP section number ("1", "2.1"); "" for a multipart message root. */
  part: string;
  /** Lower-cased "type/subtype". */
  type: string;
  params: Record<string, string>;
  encoding: string | null;
  disposition: string | null;
  filename: string | null;
  /** Size of the transfer-encoded body in bytes. */
  size: number;
  children: PartNode[];
  /** For message/rfc822 and message/global: the encapsulated message. */
  message?: EmbeddedMessage;
  /** Transfer-encoded body as a binary string, when it was read or fetched. */
  body?: string;
  /** True when {@link body} was cut at a byte cap. */
  truncated?: boolean;
}

export interface EmbeddedMessage {
  /** Raw header block (binary string), when read or fetched. */
  header?: string;
  /**
   * True when the encapsulated message has no header fields where they belong (a blank line
   * first: some MTAs write that). Its header then sits at the start of the body.
   */
  headerless?: boolean;
  /** True when {@link header} was rebuilt from the server's ENVELOPE: nothing to fetch. */
  fromEnvelope?: boolean;
  root: PartNode;
}

export interface ParsedMessage {
  header: string;
  headers: Headers;
  root: PartNode;
  /** Problems met while walking (broken boundaries, nesting cut), in words. */
  problems: string[];
}

interface WalkState {
  parts: number;
  problems: string[];
}

/**
 * Splits a multipart body at its boundary. Returns the raw text of each part. A missing close
 * delimiter (truncated mail) ends the last part at the end of input.
 */
function splitMultipart(body: string, boundary: string, state: WalkState): string[] {
  const delimiter = "--" + boundary;
  const parts: string[] = [];
  let pos = body.startsWith(delimiter) ? 0 : body.indexOf("\n" + delimiter);
  if (pos < 0) {
    state.problems.push(`multipart boundary "${boundary.slice(0, 60)}" never appears`);
    return parts;
  }
  if (pos > 0) pos += 1;
  for (;;) {
    const lineEnd = body.indexOf("\n", pos);
    const afterDelimiter = body.slice(pos + delimiter.length, pos + delimiter.length + 2);
    if (afterDelimiter === "--") return parts;
    if (lineEnd < 0) return parts;
    const start = lineEnd + 1;
    const next = body.indexOf("\n" + delimiter, start - 1);
    if (next < 0) {
      parts.push(body.slice(start));
      state.problems.push("a multipart ends without its closing boundary");
      return parts;
    }
    // The CRLF before the delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    const end = next > start && body[next - 1] === "\r" ? next - 1 : next;
    parts.push(body.slice(start, Math.max(start, end)));
    pos = next + 1;
    if (parts.length >= MAX_PARTS) return parts;
  }
}

function buildNode(headers: Headers, body: string, depth: number, state: WalkState, defaultType = "text/plain"): PartNode {
  state.parts++;
  const rawType = headers.raw("content-type");
  const ct = rawType ? parseContentType(rawType) : { type: defaultType, params: {} };
  const disp = parseParameterised(headers.raw("content-disposition"));
  const node: PartNode = {
    part: "",
    type: ct.type,
    params: ct.params,
    encoding: headers.raw("content-transfer-encoding")?.trim().toLowerCase() ?? null,
    disposition: disp.value || null,
    filename: disp.params["filename"] ?? ct.params["name"] ?? null,
    size: body.length,
    children: [],
  };
  const tooDeep = depth >= MAX_DEPTH || state.parts >= MAX_PARTS;
  if (tooDeep && (node.type.startsWith("multipart/") || isEncapsulated(node))) {
    state.problems.push("parts nested too deep were read as plain text");
    node.type = "application/octet-stream";
  }
  if (node.type.startsWith("multipart/")) {
    const boundary = node.params["boundary"];
    const pieces = boundary ? splitMultipart(body, boundary, state) : [];
    if (!boundary) state.problems.push("a multipart part has no boundary");
    if (pieces.length === 0) {
      // No part could be found: read the body as text, as mail clients do.
      node.type = "text/plain";
      node.body = body;
      return node;
    }
    const childDefault = node.type === "multipart/digest" ? "message/rfc822" : "text/plain";
    for (const piece of pieces) {
      if (state.parts >= MAX_PARTS) break;
      const { headerLength, bodyStart } = splitHeader(piece);
      node.children.push(buildNode(parseHeaderBlock(piece.slice(0, headerLength)), piece.slice(bodyStart), depth + 1, state, childDefault));
    }
    return node;
  }
  node.body = body;
  if (isEncapsulated(node) && !isEncoded(node.encoding)) {
    node.message = parseEmbedded(body, depth + 1, state);
  }
  return node;
}

/** A part whose first line is blank has no header at all. */
function splitHeader(piece: string): { headerLength: number; bodyStart: number } {
  if (piece.startsWith("\r\n")) return { headerLength: 0, bodyStart: 2 };
  if (piece.startsWith("\n")) return { headerLength: 0, bodyStart: 1 };
  return headerEnd(piece);
}

export function isEncapsulated(node: Pick<PartNode, "type">): boolean {
  return node.type === "message/rfc822" || node.type === "message/global";
}

/** message/* should be 7bit/8bit/binary; some mailers base64 it anyway. */
export function isEncoded(encoding: string | null): boolean {
  return encoding === "base64" || encoding === "quoted-printable";
}

function parseEmbedded(raw: string, depth: number, state: WalkState): EmbeddedMessage {
  const { headerLength, bodyStart } = splitHeader(raw);
  const header = raw.slice(0, headerLength);
  const headers = parseHeaderBlock(header);
  const embedded: EmbeddedMessage = { header, root: buildNode(headers, raw.slice(bodyStart), depth, state) };
  if (headers.fields.length === 0) embedded.headerless = true;
  return embedded;
}

/**
 * Gives every node its IMAP section number (RFC 3501 §6.4.5): a message's single body is
 * "<prefix>.1" ("1" at top level); a multipart's children are "<prefix>.N"; a message/rfc822
 * part numbered P encapsulates a message whose prefix is P.
 */
export function numberMessage(root: PartNode, prefix: string): void {
  if (root.type.startsWith("multipart/")) {
    root.part = prefix;
    numberChildren(root, prefix);
  } else {
    root.part = prefix ? `${prefix}.1` : "1";
    if (root.message) numberMessage(root.message.root, root.part);
  }
}

function numberChildren(node: PartNode, prefix: string): void {
  node.children.forEach((child, i) => {
    child.part = prefix ? `${prefix}.${i + 1}` : String(i + 1);
    if (child.type.startsWith("multipart/")) numberChildren(child, child.part);
    else if (child.message) numberMessage(child.message.root, child.part);
  });
}

/** Parses a whole message given as a binary string (Buffer's latin1). Never throws. */
export function parseMessage(raw: string): ParsedMessage {
  const state: WalkState = { parts: 0, problems: [] };
  const { headerLength, bodyStart } = headerEnd(raw);
  const header = raw.slice(0, headerLength);
  const headers = parseHeaderBlock(header);
  const root = buildNode(headers, raw.slice(bodyStart), 0, state);
  numberMessage(root, "");
  return { header, headers, root, problems: state.problems };
}

/** Visits every node depth-first, embedded messages included, in document order. */
export function* walk(node: PartNode): Generator<PartNode> {
  yield node;
  for (const child of node.children) yield* walk(child);
  if (node.message) yield* walk(node.message.root);
}
