/**
 * The mail providers most flooded inboxes live at: where their IMAP is, how one signs in there,
 * and which addresses and MX hosts are theirs. Pure data and look-ups, shared by discovery (the
 * engine) and onboarding (the UI).
 */
import type { Security } from "./model.js";

export type SignInKind = "oauth" | "app-password" | "password" | "bridge";

export interface Provider {
  id: string;
  label: string;
  host: string;
  port: number;
  security: Security;
  /** How the user signs in; `oauth` names the OAuth provider ("google", "microsoft"). */
  signIn: SignInKind;
  oauth?: "google" | "microsoft";
  /** Address domains that are this provider's. */
  domains: readonly string[];
  /** MX host suffixes that mean a domain's mail is hosted here (Google Workspace, Microsoft 365). */
  mx: readonly string[];
  /** What the user must do, in words. */
  note: string;
  /** The app's default daily download budget here, in MB, where the provider limits IMAP downloads per day. */
  dailyBudgetMb?: number;
}

export const PROVIDERS: readonly Provider[] = [
  {
    id: "gmail",
    label: "Gmail / Google Workspace",
    host: "imap.gmail.com",
    port: 993,
    security: "tls",
    signIn: "oauth",
    oauth: "google",
    domains: ["gmail.com", "googlemail.com"],
    mx: [".google.com", ".googlemail.com"],
    note: "Sign in with Google. Or, with 2-Step Verification on, use an app password from myaccount.google.com → Security → App passwords.",
    // Gmail allows 2,500 MB of IMAP downloads a day and locks IMAP for the rest of it: a margin for the user's other mail programs.
    dailyBudgetMb: 1000,
  },
  {
    id: "microsoft",
    label: "Microsoft 365 / Outlook.com / Hotmail",
    host: "outlook.office365.com",
    port: 993,
    security: "tls",
    signIn: "oauth",
    oauth: "microsoft",
    domains: ["outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk", "outlook.de", "hotmail.de", "hotmail.fr", "live.co.uk"],
    mx: [".mail.protection.outlook.com", ".olc.protection.outlook.com"],
    note: "Sign in with Microsoft: Microsoft no longer accepts passwords over IMAP.",
  },
  {
    id: "yahoo",
    label: "Yahoo Mail",
    host: "imap.mail.yahoo.com",
    port: 993,
    security: "tls",
    signIn: "app-password",
    domains: ["yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de"],
    mx: [".yahoodns.net"],
    note: "Yahoo needs an app password: Account security → Generate app password.",
  },
  {
    id: "icloud",
    label: "iCloud Mail",
    host: "imap.mail.me.com",
    port: 993,
    security: "tls",
    signIn: "app-password",
    domains: ["icloud.com", "me.com", "mac.com"],
    mx: [".mail.icloud.com"],
    note: "iCloud needs an app-specific password from appleid.apple.com → Sign-In and Security.",
  },
  {
    id: "fastmail",
    label: "Fastmail",
    host: "imap.fastmail.com",
    port: 993,
    security: "tls",
    signIn: "app-password",
    domains: ["fastmail.com", "fastmail.fm", "fastmail.net", "messagingengine.com"],
    mx: [".messagingengine.com"],
    note: "Fastmail needs an app password: Settings → Privacy & Security → App passwords.",
  },
  {
    id: "gmx",
    label: "GMX",
    host: "imap.gmx.net",
    port: 993,
    security: "tls",
    signIn: "password",
    domains: ["gmx.de", "gmx.net", "gmx.at", "gmx.ch", "gmx.com"],
    mx: [".gmx.net"],
    note: "Turn on IMAP first: GMX settings → POP3 & IMAP → allow access. Then your usual password.",
  },
  {
    id: "webde",
    label: "WEB.DE",
    host: "imap.web.de",
    port: 993,
    security: "tls",
    signIn: "password",
    domains: ["web.de"],
    mx: [".web.de"],
    note: "Turn on IMAP first: WEB.DE settings → POP3/IMAP → allow access. Then your usual password.",
  },
  {
    id: "zoho",
    label: "Zoho Mail",
    host: "imap.zoho.com",
    port: 993,
    security: "tls",
    signIn: "app-password",
    domains: ["zoho.com", "zohomail.com"],
    mx: [".zoho.com"],
    note: "Turn on IMAP access in Zoho's settings; with two-factor sign-in, use an app-specific password. Accounts in the EU use imap.zoho.eu.",
  },
  {
    id: "proton",
    label: "Proton Mail (through Proton Mail Bridge)",
    host: "127.0.0.1",
    port: 1143,
    security: "starttls",
    signIn: "bridge",
    domains: ["proton.me", "protonmail.com", "protonmail.ch", "pm.me"],
    mx: [".protonmail.ch"],
    note: "Proton Mail works through Proton Mail Bridge on this computer: use the user name and password the Bridge shows, and trust the Bridge's own certificate by the fingerprint the app shows you.",
  },
];

const lower = (s: string): string => s.trim().toLowerCase();

/** The domain of an address ("alice@Example.org" → "example.org"), or null. */
export function domainOf(email: string): string | null {
  const at = email.lastIndexOf("@");
  const domain = at > 0 ? lower(email.slice(at + 1)) : "";
  return /^[a-z0-9.-]+\.[a-z]{2,}$/.test(domain) ? domain : null;
}

export const providerById = (id: string): Provider | undefined => PROVIDERS.find((p) => p.id === id);

export function providerByDomain(domain: string): Provider | undefined {
  const d = lower(domain);
  return PROVIDERS.find((p) => p.domains.includes(d));
}

/** The provider a domain's mail is hosted at, from its MX hosts (most preferred first). */
export function providerByMx(hosts: readonly string[]): Provider | undefined {
  for (const host of hosts.map((h) => lower(h).replace(/\.$/, ""))) {
    const hit = PROVIDERS.find((p) => p.mx.some((suffix) => host.endsWith(suffix)));
    if (hit) return hit;
  }
  return undefined;
}

/** An account's daily download budget in MB: its own, else its provider's default (null: none). */
export function dailyBudgetMbOf(account: { host: string; dailyBudgetMb?: number | null | undefined }): number | null {
  return account.dailyBudgetMb ?? PROVIDERS.find((p) => p.host === account.host.toLowerCase())?.dailyBudgetMb ?? null;
}
