/**
 * The vocabulary shared by engine, hosts and UI: what a parsed automated reply looks like.
 * Plain data only, so it crosses every process boundary as JSON.
 */

/** What kind of automated message this is. Only the first six can ever be moved. */
export type ReportKind = "bounce" | "delay" | "autoreply" | "challenge" | "virus-warning" | "mdn" | "complaint" | "not-automated";

export const REPORT_KINDS: readonly ReportKind[] = ["bounce", "delay", "autoreply", "challenge", "virus-warning", "mdn", "complaint", "not-automated"];

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

/** One Received hop of the original, as far as its header says (RFC 5321 §4.4, RFC 3848). */
export interface Hop {
  /** The host that handed the message on (HELO or reverse name), lower case. */
  from: string | null;
  /** The IP address of that host, as the receiving server recorded it. */
  ip: string | null;
  /** The server that received it, lower case. */
  by: string | null;
  /** The protocol keyword (ESMTP, ESMTPSA, LMTP, ...), upper case. */
  with: string | null;
}

/** A DKIM-Signature of the original: the signing domain and selector (not yet verified). */
export interface DkimTag {
  domain: string;
  selector: string;
}

/** How the original travelled, read from a copy of its header. */
export interface OriginalTrace {
  /** Where that header was read; a header-only copy cannot have its DKIM signature verified. */
  source: ReferenceSource;
  /** Received hops, newest (the remote end) first, as in the header. */
  hops: Hop[];
  dkim: DkimTag[];
  /** The part that holds the whole original (IMAP section), when one is attached: it can be verified. */
  attachedPart: string | null;
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
  /** The original's Received chain and signatures; null when no copy of its header was found. */
  trace: OriginalTrace | null;
  /** The report's own recipient when it carries a BATV tag (`prvs=TAG=user@domain`): it answers a signed return address. */
  batv: string | null;
}

/**
 * What the app concludes about an automated reply. Only "backscatter" is ever moved;
 * "account-misuse" (the original left through the user's own account) raises the alarm instead.
 */
export type VerdictKind = "legit" | "backscatter" | "account-misuse" | "unverifiable" | "complaint" | "not-automated";
export const VERDICT_KINDS: readonly VerdictKind[] = ["legit", "backscatter", "account-misuse", "unverifiable", "complaint", "not-automated"];

/** Automatic (scheduled) moves happen only at "high"; the user may move any backscatter. */
export type Confidence = "high" | "medium" | "low";

export interface Verdict {
  verdict: VerdictKind;
  confidence: Confidence;
  /** One sentence a user understands. */
  reason: string;
  /** Supporting facts, each a short sentence, strongest first. */
  evidence: string[];
}

/** What a fact about a report's original points to. */
export type FactPoint = "misuse" | "own-relay" | "forged" | "genuine" | "weak" | "unchecked";

/** One piece of evidence about where an original came from, in words, with where it was read. */
export interface Fact {
  points: FactPoint;
  /** 3: decides on its own; 2: strong; 1: a hint. */
  strength: 1 | 2 | 3;
  text: string;
}

/** Where an item is now. */
export type ItemState = "flagged" | "moved" | "kept" | "restored";

/** A scanned message the app has an opinion about (every verdict but not-automated). */
export interface Item {
  id: number;
  accountId: number;
  folder: string;
  uid: number;
  destFolder: string | null;
  destUid: number | null;
  messageId: string | null;
  date: string | null;
  subject: string | null;
  from: string | null;
  kind: ReportKind;
  verdict: VerdictKind;
  confidence: Confidence;
  reason: string;
  evidence: string[];
  originalMessageIds: string[];
  recipients: string[];
  originalSubject: string | null;
  reportingMta: string | null;
  /** The IP that handed the original to the outside world, where its copied header shows it. */
  originIp: string | null;
  state: ItemState;
}

export type Security = "tls" | "starttls" | "plain";

/** How an OAuth2 account signs in (not secret; the tokens are kept with the secrets). */
export interface OAuthSettings {
  /** "google", "microsoft", or "oidc" for a provider found by its issuer URL. */
  provider: string;
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  scope: string;
  clientId: string;
  /** Extra authorization parameters (Google: offline access, asking consent). */
  extra: Record<string, string>;
}

export interface AccountInput {
  name?: string;
  host: string;
  port: number;
  security: Security;
  user: string;
  /** SHA-256 fingerprint (hex, colons optional) of a self-signed server certificate to trust. */
  pinnedFingerprint?: string | null;
  /** Sending folders to index; empty: found by SPECIAL-USE and common names. */
  sentFolders?: string[];
  /** Folders to scan; default INBOX. */
  scanFolders?: string[];
  destination?: string;
  /** Message-ID domains or glob patterns of other systems that send as the user. */
  trustedIdPatterns?: string[];
  /** Scan in the background every this many minutes (at least 5); null: only when asked. */
  scheduleMinutes?: number | null;
  /** What a background scan moves by itself: nothing, or high-confidence backscatter. */
  autoMove?: "off" | "high";
  /** While the app runs, sweep new mail as it arrives (IDLE), by the same rules as a background scan (default true). */
  watch?: boolean;
  /** The most the app downloads from this account in a day, in MB; null: the provider's default (1,000 MB on Gmail, whose limit is 2,500; none elsewhere). */
  dailyBudgetMb?: number | null;
  /** Delete what the app moved to the destination more than this many days ago, after the user confirms; null: never. */
  cleanupDays?: number | null;
  /** Signs in with OAuth2 (XOAUTH2/OAUTHBEARER) instead of a password; null: a password. */
  oauth?: OAuthSettings | null;
}

export interface Account extends Required<Omit<AccountInput, "name" | "pinnedFingerprint">> {
  id: number;
  name: string;
  pinnedFingerprint: string | null;
}

export type ScanPhase = "connect" | "reconnect" | "index" | "triage" | "parse" | "classify" | "move" | "undo";

export interface Progress {
  phase: ScanPhase;
  done: number;
  total: number;
  folder?: string;
}

export interface MessageError {
  folder: string;
  uid: number;
  error: string;
}

export interface ScanSummary {
  runId: number;
  accountId: number;
  scanned: number;
  candidates: number;
  counts: Record<VerdictKind, number>;
  moved: number;
  /** Folders skipped because STATUS showed no change since the last scan. */
  unchangedFolders: string[];
  errors: MessageError[];
  /** Raw bytes read from the server's socket during this run. */
  bytesFetched: number;
  /** Said to the user when the server cannot finish a move cleanly (no MOVE, no UIDPLUS). */
  warnings: string[];
  flagged: Item[];
  /** Reports still in the inbox that show mail sent through the user's own account; null: none. */
  alarm: MisuseAlarm | null;
}

export interface MoveSummary {
  runId: number;
  moved: number;
  failed: MessageError[];
  warnings: string[];
}

/** What an undo put back where it was. */
export interface UndoSummary {
  runId: number;
  restored: number;
  failed: MessageError[];
  warnings: string[];
}

/** The alarm raised when reports show mail sent through the user's own account (shared/misuse.ts builds it). */
export interface MisuseAlarm {
  count: number;
  /** The date of the oldest such report (YYYY-MM-DD), null when none is dated. */
  since: string | null;
  /** "3 bounces since 2026-12-01 show mail sent through your own account …" */
  text: string;
  checklist: string[];
  /** The provider's pages for the steps, where it is known. */
  links: { label: string; url: string }[];
}
