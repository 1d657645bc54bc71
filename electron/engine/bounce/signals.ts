/**
 * What the top-level header fields say about a message's author. Computed once, read by both
 * {@link triage} (headers only, before any body is fetched) and parseReport (with the body).
 */
import type { Headers } from "../mime/headers.js";
import { parseAddressList, parseContentType } from "../mime/headers.js";
import {
  AUTOREPLY_SUBJECT,
  AUTOREPLY_WEAK_SUBJECT,
  BOUNCE_SUBJECT,
  CHALLENGE_PHRASE,
  DELAY_PHRASE,
  HUMAN_PREFIX,
  SYSTEM_DISPLAY_NAME,
  SYSTEM_SENDER,
  VIRUS_PHRASE,
} from "./phrases.js";

/**
 * The header fields triage needs: fetch exactly these with
 * `BODY.PEEK[HEADER.FIELDS (...)]` so no body byte is downloaded for ordinary mail.
 */
export const TRIAGE_FIELDS = [
  "from",
  "sender",
  "return-path",
  "to",
  "subject",
  "date",
  "message-id",
  "content-type",
  "auto-submitted",
  "precedence",
  "x-autoreply",
  "x-autorespond",
  "x-failed-recipients",
  "in-reply-to",
  "references",
  "x-original-message-id",
  "list-id",
  "list-unsubscribe",
  "x-mlserver",
  "x-ms-exchange-message-is-ndr",
] as const;

export interface Signals {
  subject: string;
  fromAddress: string | null;
  fromDisplay: string;
  /** Return-Path is `<>` (RFC 5321 null reverse-path: only reports use it). */
  nullSender: boolean;
  /** MAILER-DAEMON, postmaster, "Mail Delivery System", ... */
  systemSender: boolean;
  /** multipart/report's report-type, lower-cased, or null. */
  reportType: string | null;
  /** Auto-Submitted value other than "no", lower-cased, or null. */
  autoSubmitted: string | null;
  /** X-Autoreply / X-Autorespond / Precedence: auto_reply. */
  autoReplyHeader: boolean;
  /** Precedence: bulk / junk / list. */
  bulkPrecedence: boolean;
  failedRecipients: string[];
  exchangeNdr: boolean;
  /** List-Id or List-Unsubscribe: a list post or a newsletter. */
  listMail: boolean;
  /** Subject begins with Fwd:/Re:/AW:... as a person's client writes it. */
  humanPrefix: boolean;
  bounceSubject: boolean;
  delaySubject: boolean;
  autoreplySubject: boolean;
  autoreplyWeakSubject: boolean;
  challengeSubject: boolean;
  virusSubject: boolean;
  isReply: boolean;
  /** Written by a mailing-list manager (fml, ezmlm, Mailman, Sympa). */
  listManager: boolean;
}

function fromParts(raw: string | null): { address: string | null; display: string } {
  if (!raw) return { address: null, display: "" };
  const address = parseAddressList(raw)[0] ?? null;
  const display = raw
    .replace(/<[^>]*>/g, "")
    .replace(/"/g, "")
    .trim();
  return { address, display };
}

/** Reads the automation signals of a header block. Pure and cheap. */
export function readSignals(headers: Headers): Signals {
  const subject = headers.text("subject") ?? "";
  const from = fromParts(headers.text("from"));
  const returnPath = headers.raw("return-path");
  const localPart = from.address?.split("@")[0] ?? (from.display.toLowerCase() === "mailer-daemon" ? "mailer-daemon" : "");
  const ct = parseContentType(headers.raw("content-type"));
  const autoSubmitted = headers.raw("auto-submitted")?.trim().toLowerCase() ?? null;
  const precedence = headers.raw("precedence")?.trim().toLowerCase() ?? "";
  const failed = headers.rawAll("x-failed-recipients").flatMap((v) => parseAddressList(v));
  return {
    subject,
    fromAddress: from.address,
    fromDisplay: from.display,
    // `From: MAILER-DAEMON <>` is how DragonFly and Barracuda write the null sender.
    nullSender: (returnPath !== null && /^<\s*>$/.test(returnPath.trim())) || /<\s*>\s*$/.test(headers.raw("from") ?? ""),
    systemSender:
      SYSTEM_SENDER.test(localPart) ||
      (from.address === null && SYSTEM_DISPLAY_NAME.test(from.display)) ||
      (from.display !== from.address && SYSTEM_DISPLAY_NAME.test(from.display)) ||
      /mailer-daemon/i.test(returnPath ?? ""),
    reportType: ct.type === "multipart/report" ? (ct.params["report-type"] ?? "").toLowerCase() : null,
    autoSubmitted: autoSubmitted && autoSubmitted !== "no" ? autoSubmitted : null,
    autoReplyHeader: headers.has("x-autoreply") || headers.has("x-autorespond") || precedence === "auto_reply",
    bulkPrecedence: precedence === "bulk" || precedence === "junk" || precedence === "list",
    failedRecipients: failed,
    exchangeNdr: headers.has("x-ms-exchange-message-is-ndr"),
    listMail: headers.has("list-id") || headers.has("list-unsubscribe"),
    humanPrefix: HUMAN_PREFIX.test(subject),
    bounceSubject: BOUNCE_SUBJECT.test(subject),
    delaySubject: DELAY_PHRASE.test(subject),
    autoreplySubject: AUTOREPLY_SUBJECT.test(subject),
    autoreplyWeakSubject: AUTOREPLY_WEAK_SUBJECT.test(subject),
    challengeSubject: CHALLENGE_PHRASE.test(subject),
    virusSubject: VIRUS_PHRASE.test(subject),
    isReply: headers.has("in-reply-to") || headers.has("references"),
    listManager: headers.has("x-mlserver"),
  };
}

/** True when a header says a machine wrote this message (RFC 3834 and common vendor fields). */
export function machineHeader(s: Signals): boolean {
  return s.nullSender || s.autoSubmitted !== null || s.autoReplyHeader || s.exchangeNdr || s.failedRecipients.length > 0;
}
