/**
 * What an IMAP server answers for a message, computed from our own parse of the file: its
 * BODYSTRUCTURE (with the ENVELOPE of each attached message, as RFC 3501 has it) and the
 * sections a client may fetch. Lets the unit and corpus tests walk the scanner's path
 * (BODYSTRUCTURE → selectParts → sections → parseReport) without a server.
 */
import { attachFetched, fromImapStructure, sectionKey, type ImapBodyStructure } from "../../electron/engine/mime/imapStructure.js";
import type { Envelope, EnvelopeAddress } from "../../electron/engine/mime/envelope.js";
import { decodeHeaderValue, parseAddressList, parseHeaderBlock, type Headers } from "../../electron/engine/mime/headers.js";
import { isEncoded, parseMessage, type ParsedMessage, type PartNode } from "../../electron/engine/mime/tree.js";
import { automatedHint, EXTRA_FIELDS, headersFromEnvelope, type AutomatedHint } from "../../electron/engine/bounce/envelope.js";
import { parseReport, secondLook, selectParts, triage, type SectionRead } from "../../electron/engine/bounce/index.js";
import { TRACE_FIELDS } from "../../electron/engine/mime/imapStructure.js";
import type { Report } from "../../shared/model.js";

/** Mailboxes as a server puts them in an ENVELOPE: display name, and the address (empty for `<>`). */
function splitAddresses(raw: string): EnvelopeAddress[] {
  const out: EnvelopeAddress[] = [];
  for (const item of decodeHeaderValue(raw).match(/(?:"(?:[^"\\]|\\.)*"|<[^>]*>|\([^)]*\)|[^,])+/g) ?? []) {
    const angle = /<([^>]*)>/.exec(item);
    const name = (angle ? item.slice(0, angle.index) : "")
      .replace(/\([^)]*\)/g, "")
      .replace(/"/g, "")
      .trim();
    const address = angle ? (angle[1] ?? "").trim() : (parseAddressList(item)[0] ?? "");
    if (name || address) out.push({ name, address });
  }
  return out;
}

/** The ENVELOPE a server builds from a header block. */
export function envelopeOf(header: string | Headers): Envelope {
  const h = typeof header === "string" ? parseHeaderBlock(header) : header;
  const addresses = (name: string): Envelope["from"] => {
    const list = splitAddresses(h.raw(name) ?? "");
    return list.length > 0 ? list : undefined;
  };
  const rawDate = h.raw("date")?.trim();
  const date = rawDate ? new Date(rawDate) : undefined;
  return {
    date: date && !Number.isNaN(date.getTime()) ? date : rawDate,
    subject: h.text("subject") ?? undefined,
    messageId: h.raw("message-id")?.trim() || undefined,
    inReplyTo: h.raw("in-reply-to")?.trim() || undefined,
    from: addresses("from"),
    sender: addresses("sender"),
    to: addresses("to"),
    cc: addresses("cc"),
  };
}

/** BODYSTRUCTURE of a parsed tree as a server describes it. */
export function structureOf(node: PartNode): ImapBodyStructure {
  const s: ImapBodyStructure = { part: node.part, type: node.type, parameters: node.params, size: node.size };
  if (node.encoding) s.encoding = node.encoding;
  if (node.disposition) s.disposition = node.disposition;
  if (node.filename) s.dispositionParameters = { filename: node.filename };
  if (node.type.startsWith("multipart/")) s.childNodes = node.children.map(structureOf);
  if (node.message) {
    s.childNodes = [structureOf(node.message.root)];
    s.envelope = node.message.headerless || isEncoded(node.encoding) ? {} : envelopeOf(node.message.header ?? "");
  }
  return s;
}

/** `BODY[part.HEADER.FIELDS (...)]` as a server answers it: the named fields as written, then a blank line. */
export function headerFieldsOf(header: string, names: readonly string[]): string {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const lines = header.split(/\r?\n/);
  const end = lines.indexOf("");
  const kept: string[] = [];
  let keep = false;
  for (const line of end >= 0 ? lines.slice(0, end) : lines) {
    if (/^[ \t]/.test(line)) {
      if (keep) kept.push(line);
      continue;
    }
    keep = wanted.has(line.slice(0, line.indexOf(":")).trim().toLowerCase());
    if (keep) kept.push(line);
  }
  return kept.map((l) => `${l}\r\n`).join("") + "\r\n";
}

/** Every section a client could fetch from the parsed tree, keyed as imapflow keys them. */
export function serverSections(root: PartNode): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const visit = (node: PartNode): void => {
    if (node.body !== undefined) out.set(sectionKey(node.part, "body"), Buffer.from(node.body, "latin1"));
    if (node.message?.header !== undefined) {
      out.set(sectionKey(node.part, "header"), Buffer.from(node.message.header, "latin1"));
      out.set(sectionKey(node.part, "trace"), Buffer.from(headerFieldsOf(node.message.header, TRACE_FIELDS), "latin1"));
    }
    node.children.forEach(visit);
  };
  visit(root);
  return out;
}

/**
 * Phase 2 as the scanner runs it: the sections selectParts names, fetched (a partial fetch
 * `BODY[part]<start.n>` gives the bytes from start on), then the second look where one is needed;
 * the tree, every request made, the Report.
 */
export function asScannerSeesIt(parsed: ParsedMessage, headers: Headers): { root: PartNode; requests: SectionRead[]; report: Report } {
  const root = fromImapStructure(structureOf(parsed.root));
  const all = serverSections(parsed.root);
  const fetch = (requests: readonly SectionRead[]): void => {
    const fetched = new Map(
      requests.map((r) => [sectionKey(r.part, r.section), (all.get(sectionKey(r.part, r.section)) ?? Buffer.alloc(0)).subarray(r.start ?? 0)]),
    );
    attachFetched(root, fetched, requests);
  };
  const first = selectParts(root);
  fetch(first);
  const more = secondLook(root, first);
  fetch(more);
  return { root, requests: [...first, ...more], report: parseReport({ headers, root, problems: parsed.problems }) };
}

/**
 * A Report as the scanner's path must reproduce it. An attached original's Date comes back from
 * the ENVELOPE as a parsed date, so it is compared as a point in time; `error` only the whole
 * file can show (a truncated original).
 */
export function comparable(report: Report): Report {
  const when = report.original.date === null ? null : Date.parse(report.original.date);
  const date = when === null ? null : Number.isNaN(when) ? report.original.date : new Date(when).toISOString();
  return { ...report, original: { ...report.original, date }, error: null };
}

export interface ScannerView {
  /** What the envelope pre-gate said; null: turned away before any header field was fetched. */
  hint: AutomatedHint | null;
  /** What triage said on the envelope plus the extra header fields. */
  candidate: boolean;
  /** The Report phase 2 gives, for candidates. */
  report: Report | null;
}

/** A whole message through every step of the scanner, with the server's answers simulated. */
export function throughScanner(raw: Buffer): ScannerView {
  const parsed = parseMessage(raw.toString("latin1"));
  const structure = structureOf(parsed.root);
  const envelope = envelopeOf(parsed.headers);
  const hint = automatedHint(envelope, structure);
  if (hint === null) return { hint, candidate: false, report: null };
  const headers = headersFromEnvelope(envelope, structure, parsed.headers.only(EXTRA_FIELDS));
  if (!triage(headers).candidate) return { hint, candidate: false, report: null };
  return { hint, candidate: true, report: asScannerSeesIt(parsed, headers).report };
}
