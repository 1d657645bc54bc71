/**
 * The vocabulary shared by engine, hosts and UI: what a parsed automated reply looks like.
 * Plain data only, so it crosses every process boundary as JSON.
 */

/** What kind of automated message this is. Only the first six can ever be moved. */
export type ReportKind =
  | "bounce"
  | "delay"
  | "autoreply"
  | "challenge"
  | "virus-warning"
  | "mdn"
  | "complaint"
  | "not-automated";

export const REPORT_KINDS: readonly ReportKind[] = [
  "bounce",
  "delay",
  "autoreply",
  "challenge",
  "virus-warning",
  "mdn",
  "complaint",
  "not-automated",
];

/** Where a reference to the original message was found; the order here is the order of trust. */
export type ReferenceSource =
  | "attached-message" // Message-ID of an attached message/rfc822 or message/global
  | "attached-headers" // text/rfc822-headers or message/global-headers part
  | "mdn-original" // Original-Message-ID of a disposition notification
  | "x-original-message-id" // X-Original-Message-ID header of the report itself
  | "inline-copy" // an original quoted in the body after the MTA's marker line
  | "in-reply-to"
  | "references"
  | "body-text"; // an id mentioned in the report's prose ("Message-ID: <...> could not be delivered")

export const REFERENCE_SOURCES: readonly ReferenceSource[] = [
  "attached-message",
  "attached-headers",
  "mdn-original",
  "x-original-message-id",
  "inline-copy",
  "in-reply-to",
  "references",
  "body-text",
];

export interface Reference {
  /** Normalised Message-ID (see shared/messageId.ts). */
  messageId: string;
  source: ReferenceSource;
}

export interface FailedRecipient {
  address: string;
  /** DSN action: failed, delayed, delivered, relayed, expanded. */
  action: string | null;
  /** Enhanced status code such as 5.1.1. */
  status: string | null;
  diagnostic: string | null;
  remoteMta: string | null;
}

/** Headers of the message the report refers to, as far as they could be recovered. */
export interface OriginalMessage {
  from: string | null;
  to: string[];
  subject: string | null;
  date: string | null;
  messageId: string | null;
}

export interface Report {
  kind: ReportKind;
  /** The MTA family or system that wrote it ("postfix", "exim", "rfc3464", "vacation", ...). */
  format: string | null;
  /** Every reference to the original, best first, de-duplicated by id. */
  references: Reference[];
  original: OriginalMessage;
  recipients: FailedRecipient[];
  reportingMta: string | null;
  /** First recipient's DSN action, for a one-line summary. */
  action: string | null;
  /** Why it is (or is not) considered automated, in words. */
  evidence: string[];
  /** A problem met while reading the message (broken MIME, unknown charset, ...), in words. */
  error: string | null;
}
