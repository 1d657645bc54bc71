/**
 * Reading a report's prose when it has no machine-readable part: who could not be reached,
 * the status code and the server's words. Only the text before the copied original is read,
 * so addresses of the original's header are never taken for failed recipients.
 */
import type { FailedRecipient } from "../../../shared/model.js";
import { statusCode } from "./dsn.js";
import { messageIdLines } from "./original.js";

// Bounded as RFC 5321 bounds them (local part 64, label 63): unbounded runs made this regex
// quadratic on a 100,000-character line with no "@" in it.
const ADDRESS =
  /<?([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?){1,16})>?/g;
const SYSTEM_LOCAL = /^(?:mailer-daemon|postmaster|mail-daemon|noreply|no-reply|root)$/i;
/** SMTP replies quoted in prose: "550 5.1.1 ...", "said: 554 ...", "(#5.1.1)". */
const SMTP_REPLY =
  /(?:^|[\s:(])(?:[245]\d\d[\s-]|#?[245]\.\d{1,3}\.\d{1,3}\b)|said:|error:|reason:|diagnostic|user unknown|unknown user|no such user|mailbox (?:unavailable|full|not found)|does not exist|quota|rejected|refused|denied/i;
const MAX_RECIPIENTS = 50;

export interface ProseFacts {
  recipients: string[];
  status: string | null;
  diagnostic: string | null;
}

/**
 * Pulls failed recipients and the first diagnostic from prose. `exclude` holds addresses that
 * are certainly not failed recipients (the report's own From and To, the original's sender).
 */
export function readProse(prose: string, exclude: ReadonlySet<string>): ProseFacts {
  const recipients: string[] = [];
  // Message-IDs look like addresses; they never are failed recipients.
  const ids = new Set(messageIdLines(prose).map((id) => id.toLowerCase()));
  for (const m of prose.matchAll(ADDRESS)) {
    const address = (m[1] ?? "").toLowerCase().replace(/\.$/, "");
    const local = address.split("@")[0] ?? "";
    if (exclude.has(address) || ids.has(address) || SYSTEM_LOCAL.test(local) || recipients.includes(address)) continue;
    recipients.push(address);
    if (recipients.length >= MAX_RECIPIENTS) break;
  }
  let diagnostic: string | null = null;
  for (const line of prose.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.length > 3 && SMTP_REPLY.test(trimmed)) {
      diagnostic = trimmed.slice(0, 500);
      break;
    }
  }
  return { recipients, status: statusCode(diagnostic) ?? statusCode(prose), diagnostic };
}

/** FailedRecipient rows for addresses read from prose or from X-Failed-Recipients. */
export function recipientsFrom(addresses: readonly string[], facts: Pick<ProseFacts, "status" | "diagnostic">, action: string | null): FailedRecipient[] {
  return addresses.map((address) => ({ address, action, status: facts.status, diagnostic: facts.diagnostic, remoteMta: null }));
}
