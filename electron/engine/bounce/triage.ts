/**
 * The cheap gate in front of every body download (imapflow's "mightBeABounce" idea): from the
 * header fields in {@link TRIAGE_FIELDS} alone, decide whether a message could be an automated
 * reply. It must never turn away a real report — parseReport gets the final word on everything
 * it lets through — and should let through as little ordinary mail as it can.
 */
import type { ReportKind } from "../../../shared/model.js";
import type { Headers } from "../mime/headers.js";
import { LIST_MANAGER_REFUSAL } from "./phrases.js";
import { machineHeader, readSignals, type Signals } from "./signals.js";

export { TRIAGE_FIELDS } from "./signals.js";

export interface TriageResult {
  candidate: boolean;
  /** The most likely kind, for ordering work; parseReport decides. */
  likelyKind: ReportKind;
  /** Why, in words (shown in verbose logs). */
  signals: string[];
}

function explain(s: Signals): string[] {
  const out: string[] = [];
  if (s.reportType !== null) out.push(`multipart/report (${s.reportType || "no report-type"})`);
  if (s.nullSender) out.push("null return path");
  if (s.systemSender) out.push("system sender");
  if (s.autoSubmitted) out.push(`Auto-Submitted: ${s.autoSubmitted}`);
  if (s.autoReplyHeader) out.push("auto-reply header");
  if (s.failedRecipients.length > 0) out.push("X-Failed-Recipients");
  if (s.exchangeNdr) out.push("Exchange NDR header");
  if (s.bounceSubject) out.push("bounce subject");
  if (s.autoreplySubject) out.push("auto-reply subject");
  if (s.challengeSubject) out.push("challenge subject");
  if (s.virusSubject) out.push("virus subject");
  return out;
}

function likelyKindOf(s: Signals): ReportKind {
  if (s.reportType === "feedback-report") return "complaint";
  if (s.reportType === "disposition-notification") return "mdn";
  if (s.challengeSubject) return "challenge";
  if (s.autoreplySubject || s.autoReplyHeader || s.autoSubmitted === "auto-replied") return "autoreply";
  if (s.virusSubject) return "virus-warning";
  if (s.delaySubject) return "delay";
  return "bounce";
}

/**
 * A sign in the headers that only machines give: a report, a machine header, a system sender.
 * `X-Original-Message-ID` is enough on its own: only gateways and auto-responders write it.
 */
function structural(s: Signals, headers: Headers): boolean {
  return (
    s.reportType !== null || machineHeader(s) || s.systemSender || headers.has("x-original-message-id") || /@sns\.amazonaws\.com$/i.test(s.fromAddress ?? "")
  );
}

/**
 * True when these header fields alone make a message a candidate by a structural sign. More
 * fields can only add signs, never take one away, so the scanner fetches the rest of the triage
 * fields of such a message together with its parts rather than in a round of their own.
 */
export function certainlyCandidate(headers: Headers): boolean {
  return structural(readSignals(headers), headers);
}

/** Decides from headers alone whether a message may be an automated reply. */
export function triage(headers: Headers): TriageResult {
  const s = readSignals(headers);
  const machine = structural(s, headers);
  // A list post or newsletter whose subject merely mentions delivery failure is not a report.
  const bySubject =
    !s.listMail &&
    (s.bounceSubject || s.autoreplySubject || s.challengeSubject || s.virusSubject || (s.autoreplyWeakSubject && (s.bulkPrecedence || s.isReply)));
  const listRefusal = s.listManager && LIST_MANAGER_REFUSAL.test(s.subject);
  const candidate = machine || bySubject || listRefusal;
  return { candidate, likelyKind: candidate ? likelyKindOf(s) : "not-automated", signals: explain(s) };
}
