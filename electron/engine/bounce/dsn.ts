/**
 * The machine-readable parts of reports: RFC 3464 delivery status (and RFC 6533's UTF-8
 * variant), RFC 8098 disposition notifications and RFC 5965 feedback reports. All three are
 * blocks of header-like fields separated by blank lines.
 */
import type { FailedRecipient } from "../../../shared/model.js";
import { decodeHeaderValue, parseHeaderBlock, type Headers } from "../mime/headers.js";

export interface DeliveryStatus {
  reportingMta: string | null;
  recipients: FailedRecipient[];
  /** Fields of the per-message group, for ids some MTAs put there (X-Original-Message-ID). */
  messageFields: Headers;
}

/** Splits a report body into its field groups. */
export function fieldGroups(text: string): Headers[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((group) => parseHeaderBlock(group.replace(/^\s+/, "")))
    .filter((h) => h.fields.length > 0);
}

/** "rfc822; user@example.org" → "user@example.org"; "dns; mx.example.org" → "mx.example.org". */
export function typedValue(raw: string | null): string | null {
  if (raw === null) return null;
  const value = decodeHeaderValue(raw);
  const semi = value.indexOf(";");
  const out = (semi >= 0 && semi < 20 ? value.slice(semi + 1) : value).trim();
  return out.length > 0 ? out : null;
}

function address(raw: string | null): string | null {
  const value = typedValue(raw);
  if (!value) return null;
  const m = /<?([^\s<>@]{1,64}@[^\s<>]{1,255}?)>?$/.exec(value.trim());
  return (m?.[1] ?? value).toLowerCase();
}

export function statusCode(raw: string | null): string | null {
  const m = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(raw ?? "");
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}

/** Parses a message/delivery-status body. Recipient groups without an address are dropped. */
export function parseDeliveryStatus(text: string): DeliveryStatus {
  const groups = fieldGroups(text);
  const first = groups[0];
  const perMessage = first && !first.has("final-recipient") && !first.has("original-recipient") ? first : null;
  const recipients: FailedRecipient[] = [];
  for (const group of perMessage ? groups.slice(1) : groups) {
    const addr = address(group.raw("final-recipient")) ?? address(group.raw("original-recipient"));
    if (!addr) continue;
    recipients.push({
      address: addr,
      action: group.raw("action")?.trim().toLowerCase().split(/\s/)[0] ?? null,
      status: statusCode(group.raw("status")),
      diagnostic: typedValue(group.raw("diagnostic-code")),
      remoteMta: typedValue(group.raw("remote-mta")),
    });
  }
  return {
    reportingMta: typedValue(perMessage?.raw("reporting-mta") ?? groups[0]?.raw("reporting-mta") ?? null),
    recipients,
    messageFields: perMessage ?? parseHeaderBlock(""),
  };
}

export interface DispositionNotification {
  originalMessageId: string | null;
  finalRecipient: string | null;
  disposition: string | null;
  reportingUa: string | null;
}

export function parseDisposition(text: string): DispositionNotification {
  const fields = parseHeaderBlock(text.replace(/\r?\n[ \t]*\r?\n/g, "\n"));
  return {
    originalMessageId: fields.raw("original-message-id"),
    finalRecipient: address(fields.raw("final-recipient")) ?? address(fields.raw("original-recipient")),
    disposition: fields.text("disposition"),
    reportingUa: typedValue(fields.raw("reporting-ua")),
  };
}

export interface FeedbackReport {
  feedbackType: string | null;
  originalRcptTo: string[];
  reportingMta: string | null;
}

export function parseFeedback(text: string): FeedbackReport {
  const fields = parseHeaderBlock(text.replace(/\r?\n[ \t]*\r?\n/g, "\n"));
  return {
    feedbackType: fields.raw("feedback-type")?.trim().toLowerCase() ?? null,
    originalRcptTo: fields.rawAll("original-rcpt-to").map((v) => (address(v) ?? v).toLowerCase()),
    reportingMta: typedValue(fields.raw("reporting-mta")),
  };
}
