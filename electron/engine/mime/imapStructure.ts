/**
 * IMAP BODYSTRUCTURE (as imapflow returns it) to our {@link PartNode} tree, and fetched sections
 * back onto it. The shape is declared here rather than imported so that only imap/session.ts
 * depends on imapflow; imapflow's MessageStructureObject is assignable to it.
 */
import { envelopeHeaderLines, isEmptyEnvelope, type Envelope } from "./envelope.js";
import { isEncoded, numberMessage, type PartNode } from "./tree.js";

export interface ImapBodyStructure {
  part?: string | undefined;
  type: string;
  parameters?: Record<string, string> | undefined;
  encoding?: string | undefined;
  size?: number | undefined;
  disposition?: string | undefined;
  dispositionParameters?: Record<string, string> | undefined;
  childNodes?: ImapBodyStructure[] | undefined;
  /** For message/rfc822 and message/global: the ENVELOPE of the encapsulated message. */
  envelope?: Envelope | undefined;
}

function convert(s: ImapBodyStructure): PartNode {
  const type = (s.type || "text/plain").toLowerCase();
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.parameters ?? {})) params[k.toLowerCase()] = v;
  const node: PartNode = {
    part: "",
    type,
    params,
    encoding: s.encoding?.toLowerCase() ?? null,
    disposition: s.disposition?.toLowerCase() ?? null,
    filename: s.dispositionParameters?.["filename"] ?? params["name"] ?? null,
    size: s.size ?? 0,
    children: [],
  };
  const children = s.childNodes ?? [];
  if (type.startsWith("multipart/")) {
    node.children = children.map(convert);
  } else if ((type === "message/rfc822" || type === "message/global") && children[0]) {
    const env = s.envelope;
    node.message = { root: convert(children[0]) };
    if (env !== undefined && isEmptyEnvelope(env)) node.message.headerless = true;
    // The server has already said what the original's header holds; a base64'd message is
    // opaque to it, so only there is the envelope not to be trusted.
    else if (env !== undefined && !isEncoded(node.encoding)) {
      node.message.header = `${envelopeHeaderLines(env).join("\r\n")}\r\n`;
      node.message.fromEnvelope = true;
    }
  }
  return node;
}

/** Converts a BODYSTRUCTURE tree; part numbers follow RFC 3501 §6.4.5, as in tree.ts. */
export function fromImapStructure(structure: ImapBodyStructure): PartNode {
  const root = convert(structure);
  numberMessage(root, "");
  return root;
}

/** Which section of a part is read: its body, its header (an attached message), or its trace fields. */
export type SectionKind = "body" | "header" | "trace";

/** The key a fetched section is kept under. */
export function sectionKey(part: string, section: SectionKind): string {
  return section === "body" ? part : `${part}.${section}`;
}

/** The header fields a "trace" section holds: the path an attached original took, and its signatures. */
export const TRACE_FIELDS: readonly string[] = ["received", "dkim-signature"];

/** One section of a message to read: which part, which kind of section, from where (0 when absent: a second look goes on where the first ended), how many bytes. */
export interface SectionRead {
  part: string;
  section: SectionKind;
  maxBytes: number;
  start?: number;
}

/**
 * Puts fetched sections onto the tree: bodies on their parts, headers on embedded messages. A
 * body fetched from an offset (a second look) goes on from the text already there. A body that
 * goes on past what was read is marked truncated.
 */
export function attachFetched(root: PartNode, fetched: ReadonlyMap<string, Buffer>, requests: readonly SectionRead[]): void {
  const byKey = new Map(requests.map((r) => [sectionKey(r.part, r.section), r]));
  const visit = (node: PartNode): void => {
    const key = sectionKey(node.part, "body");
    const body = fetched.get(key);
    const read = byKey.get(key);
    if (body !== undefined && read !== undefined && !node.type.startsWith("multipart/")) {
      const start = read.start ?? 0;
      const before = start > 0 ? (node.body ?? "").slice(0, start) : "";
      node.body = before + body.subarray(0, read.maxBytes).toString("latin1");
      if (node.size > start + read.maxBytes || body.length > read.maxBytes) node.truncated = true;
      else delete node.truncated;
    }
    const header = fetched.get(sectionKey(node.part, "header"));
    if (header !== undefined && node.message) node.message.header = header.toString("latin1");
    // Trace fields go on after the lines the envelope gave (they end in CRLF; the fields end in a blank line).
    const trace = fetched.get(sectionKey(node.part, "trace"));
    if (trace !== undefined && node.message) node.message.header = `${node.message.header ?? ""}${trace.toString("latin1").replace(/(?:\r?\n)+$/, "\r\n")}`;
    node.children.forEach(visit);
    if (node.message) visit(node.message.root);
  };
  visit(root);
}
