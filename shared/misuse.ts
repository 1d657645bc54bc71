/**
 * The alarm raised when reports show mail that left through the user's own account: how many and
 * since when, in one line, and what to do, in words, with the provider's own pages where the
 * account is at a known provider. Pure: the engine, the CLI, the tray and the UI all use it.
 */
import type { Item, MisuseAlarm } from "./model.js";
import { PROVIDERS } from "./providers.js";

/** The provider's own security pages, by preset id. */
const PAGES: Record<string, { label: string; url: string }[]> = {
  gmail: [
    { label: "Google: recent security activity", url: "https://myaccount.google.com/notifications" },
    { label: "Google: your devices (sign out the ones you do not know)", url: "https://myaccount.google.com/device-activity" },
    { label: "Google: app passwords", url: "https://myaccount.google.com/apppasswords" },
    { label: "Gmail: forwarding and filters", url: "https://mail.google.com/mail/u/0/#settings/fwdandpop" },
  ],
  microsoft: [
    { label: "Microsoft: recent activity", url: "https://account.live.com/Activity" },
    { label: "Microsoft: security (password, sign out everywhere)", url: "https://account.microsoft.com/security" },
    { label: "Outlook: forwarding", url: "https://outlook.live.com/mail/0/options/mail/forwarding" },
    { label: "Outlook: rules", url: "https://outlook.live.com/mail/0/options/mail/rules" },
  ],
  yahoo: [
    { label: "Yahoo: recent activity", url: "https://login.yahoo.com/account/activity" },
    { label: "Yahoo: account security and app passwords", url: "https://login.yahoo.com/account/security" },
  ],
  icloud: [{ label: "Apple Account: sign-in and security, devices", url: "https://account.apple.com/account/manage" }],
  fastmail: [{ label: "Fastmail: privacy and security (sessions, app passwords)", url: "https://app.fastmail.com/settings/security" }],
  zoho: [{ label: "Zoho: security (active sessions, app passwords)", url: "https://accounts.zoho.com/home#security/security_pwd" }],
};

/** The checklist, in the order that closes the door first. */
export const MISUSE_CHECKLIST: readonly string[] = [
  "Change your mail password now, from a computer you trust, and make it one you use nowhere else.",
  "Delete every app password and revoke access for apps you do not recognise; then sign out all other sessions and devices.",
  "Look for forwarding addresses, filters and rules you did not make (spammers add them to keep reading your mail), and remove them.",
  "Check your provider's recent activity page for sign-ins from places or devices you do not know.",
  "Turn on two-step verification if your provider offers it.",
  "Scan the computers and phones that hold your password for malware.",
  "Tell your provider or administrator: they can see what was sent and lift a block on your account.",
];

/** The provider of an account by its IMAP host (a preset's host), or null. */
function providerOf(host: string): string | null {
  const h = host.toLowerCase();
  return PROVIDERS.find((p) => p.host !== "127.0.0.1" && h === p.host)?.id ?? null;
}

const isoDay = (value: string | null): string | null => {
  const t = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
};

/**
 * The alarm for an account's items: raised by any item of verdict "account-misuse" still
 * flagged (one among many forged ones is enough); null when there is none.
 */
export function misuseAlarm(items: readonly Pick<Item, "verdict" | "state" | "date">[], host: string): MisuseAlarm | null {
  const misuse = items.filter((i) => i.verdict === "account-misuse" && i.state === "flagged");
  if (misuse.length === 0) return null;
  const since =
    misuse
      .map((i) => isoDay(i.date))
      .filter((d): d is string => d !== null)
      .sort()[0] ?? null;
  const what = misuse.length === 1 ? "1 bounce shows" : `${misuse.length.toLocaleString("en")} bounces show`;
  const text = `${what} mail sent through your own account${since ? ` since ${since}` : ""}, not just with your address: someone may have your password. They stay in your inbox as the proof.`;
  return { count: misuse.length, since, text, checklist: [...MISUSE_CHECKLIST], links: PAGES[providerOf(host) ?? ""] ?? [] };
}
