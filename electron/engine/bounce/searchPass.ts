/**
 * The server-side first pass: what to ask IMAP SEARCH so that the server names every message
 * {@link triage} could make a candidate, before a single ENVELOPE is fetched. Each criterion
 * covers one of triage's signals (signals.ts); the subject and sender phrases become the
 * substrings every match of them contains ({@link requiredText}). The server then finds a few
 * more than triage keeps, never fewer: the scan fetches and triages only those.
 */
import { AUTOREPLY_SUBJECT, AUTOREPLY_WEAK_SUBJECT, BOUNCE_SUBJECT, CHALLENGE_PHRASE, SYSTEM_DISPLAY_NAME, SYSTEM_SENDER, VIRUS_PHRASE } from "./phrases.js";
import type { SearchCriterion } from "../ports.js";
import { requiredText } from "./requiredText.js";

/** Header fields whose presence alone is a machine's sign (Auto-Submitted "no" included: triage decides). */
const MACHINE_FIELDS = [
  "auto-submitted",
  "x-autoreply",
  "x-autorespond",
  "x-failed-recipients",
  "x-ms-exchange-message-is-ndr",
  "x-original-message-id",
  "x-mlserver",
];

/** Subject phrases triage reads (a delay alone is not a candidate; list refusals need X-MLServer). */
const SUBJECT_PHRASES = [BOUNCE_SUBJECT, AUTOREPLY_SUBJECT, AUTOREPLY_WEAK_SUBJECT, CHALLENGE_PHRASE, VIRUS_PHRASE];

function distinct(strings: readonly string[]): string[] {
  const all = [...new Set(strings)];
  return all.filter((s) => !all.some((t) => t !== s && s.includes(t))).sort();
}

/**
 * The criteria, any of which a candidate meets: the report content type, a null or daemon
 * Return-Path, each machine header, a system sender's words (local part or display name, and
 * Amazon SES notifications), each subject phrase.
 */
export function searchCriteria(): readonly SearchCriterion[] {
  criteria ??= buildCriteria();
  return criteria;
}

/** Built once: the phrase lists do not change while the app runs. */
let criteria: readonly SearchCriterion[] | null = null;

function buildCriteria(): SearchCriterion[] {
  const from = distinct([...requiredText(SYSTEM_SENDER), ...requiredText(SYSTEM_DISPLAY_NAME), "sns.amazonaws.com", "<>"]);
  const subjects = distinct(SUBJECT_PHRASES.flatMap(requiredText));
  return [
    { field: "content-type", value: "report" },
    { field: "return-path", value: "<>" },
    { field: "return-path", value: "mailer-daemon" },
    ...MACHINE_FIELDS.map((field) => ({ field, value: "" })),
    { field: "precedence", value: "auto_reply" },
    ...from.map((f) => ({ from: f })),
    ...subjects.map((s) => ({ subject: s })),
  ];
}
