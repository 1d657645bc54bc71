/**
 * parseReport: from a message (its header and the parts {@link selectParts} chose) to a
 * {@link Report} — what kind of automated reply it is, which original it refers to, who could
 * not be reached and why. Pure: no I/O, never throws on any input.
 */
import type { FailedRecipient, OriginalTrace, Reference, ReferenceSource, Report, ReportKind } from "../../../shared/model.js";
import { REFERENCE_SOURCES } from "../../../shared/model.js";
import { extractMessageIds } from "../../../shared/messageId.js";
import { decodeTransfer } from "../mime/charset.js";
import { headerEnd, parseAddressList, parseHeaderBlock, type Headers } from "../mime/headers.js";
import { isEncapsulated, type PartNode } from "../mime/tree.js";
import { parseDeliveryStatus, parseDisposition, parseFeedback, type DeliveryStatus } from "./dsn.js";
import { readSesNotification, type SesNotification } from "./formats/amazon.js";
import { detectFormat } from "./formats/index.js";
import { EMPTY_ORIGINAL, findInlineOriginals, mergeOriginal, messageIdLines, originalFromHeaders, type InlineOriginal } from "./original.js";
import { partText } from "./parts.js";
import { BOUNCE_BODY, BOUNCE_SUBJECT, CHALLENGE_PHRASE, LIST_MANAGER_REFUSAL, DELAY_PHRASE, QUOTA_WARNING, VIRUS_PHRASE } from "./phrases.js";
import { readProse, recipientsFrom } from "./prose.js";
import { machineHeader, readSignals, type Signals } from "./signals.js";
import { batvRecipient, readTrace } from "./trace.js";

/** A message as the parser sees it: its top-level header and its (partly fetched) MIME tree. */
export interface MessageInput {
  headers: Headers;
  root: PartNode;
  /** Problems the MIME walker met, carried into {@link Report.error}. */
  problems?: readonly string[];
}

/** What the report's parts hold, gathered in one walk. */
interface Gathered {
  dsn: DeliveryStatus | null;
  mdnText: string | null;
  arfText: string | null;
  /** Headers of attached originals, with the section that holds each whole. */
  attached: { headers: Headers; part: string }[];
  headerParts: Headers[];
  text: string;
  /** Text of status and other message/* parts, searched for a copied original header. */
  looseText: string[];
  dmarcAttachment: boolean;
  ses: SesNotification | null;
}

const STATUS_PARTS = new Set(["message/delivery-status", "message/global-delivery-status"]);
const MDN_PARTS = new Set(["message/disposition-notification", "message/global-disposition-notification"]);
const HEADER_PARTS = new Set(["text/rfc822-headers", "message/global-headers"]);

function embeddedHeader(node: PartNode): Headers | null {
  if (node.message?.header !== undefined && !node.message.headerless) return parseHeaderBlock(node.message.header);
  if (node.body === undefined) return null;
  const raw = decodeTransfer(node.body, node.encoding).replace(/^(?:\r?\n)+/, "");
  return parseHeaderBlock(raw.slice(0, headerEnd(raw).headerLength));
}

function gather(root: PartNode): Gathered {
  const g: Gathered = { dsn: null, mdnText: null, arfText: null, attached: [], headerParts: [], text: "", looseText: [], dmarcAttachment: false, ses: null };
  const texts: string[] = [];
  for (const node of ownParts(root)) {
    if (/\.(?:xml\.gz|xml|zip|gz)$/i.test(node.filename ?? "") && /![^!]+!\d+!\d+/.test(node.filename ?? "")) g.dmarcAttachment = true;
    if (STATUS_PARTS.has(node.type) && node.body !== undefined && !g.dsn) {
      const text = partText(node);
      g.dsn = parseDeliveryStatus(text);
      // Broken boundaries can leave the original's header inside the status part.
      g.looseText.push(text);
    } else if (MDN_PARTS.has(node.type) && node.body !== undefined) g.mdnText ??= partText(node);
    else if (node.type === "message/feedback-report" && node.body !== undefined) g.arfText ??= partText(node);
    else if (HEADER_PARTS.has(node.type) && node.body !== undefined) g.headerParts.push(parseHeaderBlock(partText(node).replace(/^\s+/, "")));
    else if (isEncapsulated(node)) {
      const h = embeddedHeader(node);
      if (h) g.attached.push({ headers: h, part: node.part });
    } else if (node.type.startsWith("message/") && node.body !== undefined) g.looseText.push(partText(node));
    else if (node.type.startsWith("text/") && node.body !== undefined) texts.push(partText(node));
  }
  g.text = texts.join("\n").replace(/\r\n?/g, "\n");
  g.ses = readSesNotification(g.text);
  return g;
}

/** Parts of the report itself, not of an attached original. */
function* ownParts(root: PartNode): Generator<PartNode> {
  yield root;
  for (const child of root.children) yield* ownParts(child);
}

/**
 * The id as a copy would show it when cut at a line end: an undecoded quoted-printable soft break
 * ("=") at the end, an HTML-escaped "<" at the start. Null when it shows no sign of being cut.
 */
function cutStem(id: string): string | null {
  const stem = id.replace(/^&lt;/i, "");
  return stem.endsWith("=") ? stem.slice(0, -1) : null;
}

class ReferenceList {
  private readonly items: Reference[] = [];
  /**
   * Adds ids not yet listed. A broken copy of an id already listed (cut at a soft line break in a
   * body that was not decoded) says nothing new and is left out; the whole id replaces its cut
   * copy when it comes later.
   */
  add(ids: readonly string[], source: ReferenceSource): void {
    for (const messageId of ids) {
      if (this.items.some((r) => r.messageId === messageId)) continue;
      const stem = cutStem(messageId);
      if (stem !== null && this.items.some((r) => r.messageId.startsWith(stem))) continue;
      const cut = this.items.findIndex((r) => {
        const s = cutStem(r.messageId);
        return s !== null && messageId.startsWith(s);
      });
      if (cut >= 0) this.items.splice(cut, 1);
      this.items.push({ messageId, source });
    }
  }
  sorted(): Reference[] {
    return [...this.items].sort((a, b) => REFERENCE_SOURCES.indexOf(a.source) - REFERENCE_SOURCES.indexOf(b.source));
  }
}

interface KindDecision {
  kind: ReportKind;
  evidence: string;
}

const FORWARD_PREFIX = /^\s*(?:fwd?|fw|wg|tr|rv|enc|i|doorst|pd|转发|轉寄|転送)\s*:/iu;

/** The decision tree, most certain signals first. Every branch says why, in words. */
function decideKind(s: Signals, g: Gathered, hasOriginal: boolean, prose: string): KindDecision {
  if (g.arfText !== null || s.reportType === "feedback-report") return { kind: "complaint", evidence: "an abuse/feedback report (ARF)" };
  if (g.mdnText !== null || s.reportType === "disposition-notification") return { kind: "mdn", evidence: "a read receipt (disposition notification)" };
  if (g.ses) return { kind: g.ses.kind, evidence: `an Amazon SES ${g.ses.kind === "complaint" ? "complaint" : "delivery"} notification` };
  if (LIST_MANAGER_REFUSAL.test(s.subject) && (s.listManager || s.systemSender || s.nullSender))
    return { kind: "bounce", evidence: "a mailing-list manager refused the message" };
  if (/^\s*report domain:/i.test(s.subject) || g.dmarcAttachment) return { kind: "not-automated", evidence: "a DMARC aggregate report, not a reply" };
  const machine = machineHeader(s) || s.reportType !== null;
  const system = s.systemSender || machine;
  if (!machine && !s.systemSender && FORWARD_PREFIX.test(s.subject)) return { kind: "not-automated", evidence: "forwarded by a person" };
  if (s.listMail && !s.nullSender && s.reportType === null && !s.systemSender) return { kind: "not-automated", evidence: "a mailing-list post or newsletter" };
  if (g.dsn && g.dsn.recipients.length > 0) {
    if (s.virusSubject) return { kind: "virus-warning", evidence: "a virus or malware warning with a delivery status" };
    const delayed = g.dsn.recipients.every((r) => r.action === "delayed");
    return delayed
      ? { kind: "delay", evidence: "a delivery status notification: delayed" }
      : { kind: "bounce", evidence: "a delivery status notification (RFC 3464)" };
  }
  const head = prose.slice(0, 4000);
  // In the subject the request is explicit; in the prose it needs a sign that a machine answered.
  if (s.challengeSubject || (CHALLENGE_PHRASE.test(head) && (machine || s.isReply || system || hasOriginal))) {
    return { kind: "challenge", evidence: "asks the sender to confirm they are human (challenge-response)" };
  }
  if (system && !s.bounceSubject && QUOTA_WARNING.test(s.subject) && !hasOriginal)
    return { kind: "not-automated", evidence: "a notice from your own mail server" };
  const bounceWords = s.bounceSubject || BOUNCE_SUBJECT.test(head) || BOUNCE_BODY.test(head);
  if (system && (s.virusSubject || (VIRUS_PHRASE.test(head.slice(0, 800)) && !bounceWords)))
    return { kind: "virus-warning", evidence: "a virus or malware warning" };
  if (system && (bounceWords || s.failedRecipients.length > 0 || g.dsn !== null || s.reportType === "delivery-status")) {
    const delay =
      (s.delaySubject || DELAY_PHRASE.test(head.slice(0, 1200))) && !/permanent|given up|gave up|failed permanently|could not be delivered/i.test(head);
    return delay ? { kind: "delay", evidence: "a delivery delay warning" } : { kind: "bounce", evidence: "a non-delivery report" };
  }
  const autoreply =
    s.autoSubmitted === "auto-replied" ||
    s.autoReplyHeader ||
    s.autoreplySubject ||
    (s.autoreplyWeakSubject && (s.bulkPrecedence || machine)) ||
    (s.autoSubmitted !== null && s.isReply);
  if (autoreply) return { kind: "autoreply", evidence: "an automatic reply (out of office, vacation or ticket system)" };
  if (system && hasOriginal && !s.listMail) return { kind: "bounce", evidence: "a system message that returns a copy of a message" };
  if (s.bounceSubject && hasOriginal && !s.humanPrefix && !s.listMail)
    return { kind: "bounce", evidence: "a delivery failure notice with the original attached" };
  return { kind: "not-automated", evidence: "no sign of an automated reply" };
}

/**
 * Reads a message as a report. Works the same on a whole message and on the parts an IMAP
 * server delivered, as long as those are what selectParts chose.
 */
export function parseReport(input: MessageInput): Report {
  const s = readSignals(input.headers);
  const g = gather(input.root);
  const refs = new ReferenceList();
  let original = EMPTY_ORIGINAL;
  for (const { headers: h } of g.attached) {
    refs.add(extractMessageIds(h.raw("message-id") ?? ""), "attached-message");
    original = mergeOriginal(original, originalFromHeaders(h));
  }
  for (const h of g.headerParts) {
    refs.add(extractMessageIds(h.raw("message-id") ?? ""), "attached-headers");
    original = mergeOriginal(original, originalFromHeaders(h));
  }
  if (g.ses) refs.add(g.ses.messageIds, "attached-headers");
  const mdn = g.mdnText !== null ? parseDisposition(g.mdnText) : null;
  if (mdn?.originalMessageId) refs.add(extractMessageIds(mdn.originalMessageId), "mdn-original");
  refs.add(extractMessageIds(input.headers.raw("x-original-message-id") ?? ""), "x-original-message-id");
  if (g.dsn)
    refs.add(
      extractMessageIds(g.dsn.messageFields.raw("x-original-message-id") ?? g.dsn.messageFields.raw("original-message-id") ?? ""),
      "x-original-message-id",
    );
  const inline = findInlineOriginals(g.text);
  for (const block of g.looseText.flatMap((t) => findInlineOriginals(t))) {
    refs.add(extractMessageIds(block.headers.raw("message-id") ?? ""), "inline-copy");
    original = mergeOriginal(original, originalFromHeaders(block.headers));
  }
  for (const block of inline) {
    refs.add(extractMessageIds(block.headers.raw("message-id") ?? ""), "inline-copy");
    original = mergeOriginal(original, originalFromHeaders(block.headers));
  }
  const prose = inline.length > 0 ? g.text.slice(0, inline[0]?.start) : g.text;
  refs.add(messageIdLines(g.text), "body-text");
  const hasOriginal = g.attached.length + g.headerParts.length + inline.length > 0;

  const decision = decideKind(s, g, hasOriginal, prose);
  const kind = decision.kind;
  if (kind !== "not-automated") {
    refs.add(extractMessageIds(input.headers.raw("in-reply-to") ?? ""), "in-reply-to");
    refs.add(
      input.headers
        .rawAll("references")
        .flatMap((v) => extractMessageIds(v))
        .reverse(),
      "references",
    );
  }

  const format = kind === "not-automated" ? null : nameFormat(input.headers, s, g, kind);
  const recipients = kind === "not-automated" ? [] : failedRecipients(input.headers, s, g, prose, kind, original.from, mdn?.finalRecipient ?? null);
  const first = recipients[0];
  const problems = [...(input.problems ?? [])];
  return {
    kind,
    format: format?.name ?? null,
    references: kind === "not-automated" ? [] : refs.sorted(),
    original: kind === "not-automated" ? EMPTY_ORIGINAL : original,
    recipients,
    reportingMta: kind === "not-automated" ? null : (g.dsn?.reportingMta ?? g.ses?.reportingMta ?? format?.reportingMta ?? reportingHost(s)),
    action: first?.action ?? null,
    evidence: [decision.evidence],
    error: problems.length > 0 ? problems.join("; ") : null,
    trace: kind === "not-automated" ? null : traceOf(g, inline),
    batv: kind === "not-automated" ? null : batvRecipient(input.headers),
  };
}

/** The original's trace from the best copy of its header: attached whole, attached header, then copied inline. */
function traceOf(g: Gathered, inline: readonly InlineOriginal[]): OriginalTrace | null {
  const attached = g.attached[0];
  if (attached) return readTrace(attached.headers, "attached-message", attached.part);
  const headerPart = g.headerParts[0];
  if (headerPart) return readTrace(headerPart, "attached-headers");
  const copy = inline[0] ?? g.looseText.flatMap((t) => findInlineOriginals(t))[0];
  return copy ? readTrace(copy.headers, "inline-copy") : null;
}

function nameFormat(headers: Headers, s: Signals, g: Gathered, kind: ReportKind): { name: string; reportingMta: string | null } {
  const ctx = { headers, signals: s, text: g.text.slice(0, 8000), hasDsn: g.dsn !== null };
  const found = kind === "bounce" || kind === "delay" || kind === "virus-warning" ? detectFormat(ctx) : null;
  if (found) return { name: found.name, reportingMta: found.reportingMta?.(ctx) ?? null };
  const fallback: Record<ReportKind, string> = {
    bounce: g.dsn ? "rfc3464" : "unknown-mta",
    delay: g.dsn ? "rfc3464" : "unknown-mta",
    "virus-warning": "virus-scanner",
    autoreply: s.autoSubmitted ? "rfc3834" : "autoreply",
    challenge: "challenge-response",
    mdn: "rfc8098",
    complaint: "arf",
    "not-automated": "none",
  };
  return { name: fallback[kind], reportingMta: null };
}

function reportingHost(s: Signals): string | null {
  return s.systemSender && s.fromAddress ? (s.fromAddress.split("@")[1] ?? null) : null;
}

function failedRecipients(
  headers: Headers,
  s: Signals,
  g: Gathered,
  prose: string,
  kind: ReportKind,
  originalFrom: string | null,
  mdnRecipient: string | null,
): FailedRecipient[] {
  if (g.dsn && g.dsn.recipients.length > 0) return g.dsn.recipients;
  if (g.ses) return g.ses.recipients;
  const action = kind === "delay" ? "delayed" : kind === "bounce" ? "failed" : null;
  if (kind === "complaint" && g.arfText !== null) return recipientsFrom(parseFeedback(g.arfText).originalRcptTo, { status: null, diagnostic: null }, null);
  if (kind === "mdn") return mdnRecipient ? recipientsFrom([mdnRecipient], { status: null, diagnostic: null }, null) : [];
  if (kind === "autoreply" || kind === "challenge") return s.fromAddress ? recipientsFrom([s.fromAddress], { status: null, diagnostic: null }, null) : [];
  const exclude = new Set([...parseAddressList(headers.raw("to")), ...(s.fromAddress ? [s.fromAddress] : []), ...(originalFrom ? [originalFrom] : [])]);
  const facts = readProse(prose, exclude);
  const addresses = s.failedRecipients.length > 0 ? s.failedRecipients : facts.recipients.slice(0, 10);
  return recipientsFrom(addresses, facts, action);
}
