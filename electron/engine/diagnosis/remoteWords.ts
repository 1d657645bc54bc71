/**
 * What the remote server itself said about the original, read from a report's status codes and
 * diagnostics: that it failed SPF, DKIM or DMARC (Sisimai's reason "authfailure": the mail did
 * not come from the user's servers), or that the user's own provider blocked the user's account
 * from sending (the account is the sender). Pure.
 */
import type { FailedRecipient } from "../../../shared/model.js";

/** Enhanced status codes that name an authentication failure (RFC 7372; Google; Microsoft). */
const AUTH_STATUS = new Set(["5.7.23", "5.7.24", "5.7.26", "5.7.509", "5.7.515"]);

/** Diagnostic words that say the message failed the sender domain's authentication. */
const AUTH_WORDS =
  /\b(?:SPF (?:check |validation )?(?:failed|fail(?:ure)?|hard ?fail|violation)|fail(?:s|ed)? (?:to pass )?SPF|Sender Policy Framework|does not pass DMARC|DMARC (?:policy|verification|check)|fail(?:s|ed)? DMARC|DKIM (?:signature )?(?:check |verification )?(?:failed|fail(?:ure)?)|(?:Unauthenticated|unauthenticated) (?:email|mail|sender)|not (?:permitted|authori[sz]ed) to send (?:on behalf|for)|authentication (?:checks? )?failed for (?:the )?(?:sender|domain))/i;

/**
 * Words a provider uses when it has stopped the sender's own account from sending: Microsoft's
 * "bad outbound sender" (5.1.8) and outbound-spam suspension, and the account or sending limits
 * of other providers.
 */
const RESTRICTED_WORDS =
  /\b(?:bad outbound sender|OutboundSpamException|(?:your |the sender'?s? |sending )?account (?:has been |is |was )?(?:blocked|restricted|suspended|disabled|locked) (?:for|from) sending|restricted from sending|(?:user|sender) (?:has been |is )?(?:blocked|restricted) from sending|exceeded (?:the |your )?(?:daily |hourly )?(?:sending|message|recipient) (?:limit|quota)|daily user sending (?:quota|limit) exceeded|reached a limit for sending mail)/i;

export interface RemoteWords {
  /** The server refused the original for failing SPF/DKIM/DMARC: its words, or null. */
  authFailure: string | null;
  /** The user's provider blocked the account from sending: its words, or null. */
  restricted: string | null;
}

/** A diagnostic cut to a readable quote. */
function quote(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
}

/** What the report's recipients' statuses and diagnostics say of the original's authentication and the user's account. */
export function readRemoteWords(recipients: readonly FailedRecipient[]): RemoteWords {
  let authFailure: string | null = null;
  let restricted: string | null = null;
  for (const r of recipients) {
    const words = r.diagnostic ?? "";
    if (restricted === null && RESTRICTED_WORDS.test(words)) restricted = quote(words);
    if (authFailure === null && ((r.status !== null && AUTH_STATUS.has(r.status)) || AUTH_WORDS.test(words)))
      authFailure = quote(words || `status ${r.status ?? ""}`);
  }
  return { authFailure, restricted };
}
