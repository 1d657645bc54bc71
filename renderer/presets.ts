/** Settings for the providers most flooded inboxes live at, and what each asks of the user. */
import type { Security } from "../shared/model.js";

export interface Preset {
  id: string;
  label: string;
  host: string;
  port: number;
  security: Security;
  /** Shown under the password field. */
  note: string;
  /** False where password sign-in does not work at all (OAuth2 arrives in a later version). */
  supported: boolean;
}

export const PRESETS: readonly Preset[] = [
  { id: "gmail", label: "Gmail / Google Workspace", host: "imap.gmail.com", port: 993, security: "tls", supported: true, note: "Google accepts an app password here, not your account password: turn on 2-Step Verification, then create one at myaccount.google.com → Security → App passwords." },
  { id: "microsoft", label: "Microsoft 365 / Outlook.com / Hotmail", host: "outlook.office365.com", port: 993, security: "tls", supported: false, note: "Microsoft no longer accepts passwords over IMAP; it needs a sign-in with your Microsoft account, which this version cannot do yet." },
  { id: "yahoo", label: "Yahoo Mail", host: "imap.mail.yahoo.com", port: 993, security: "tls", supported: true, note: "Yahoo needs an app password: Account security → Generate app password." },
  { id: "icloud", label: "iCloud Mail", host: "imap.mail.me.com", port: 993, security: "tls", supported: true, note: "iCloud needs an app-specific password from appleid.apple.com." },
  { id: "fastmail", label: "Fastmail", host: "imap.fastmail.com", port: 993, security: "tls", supported: true, note: "Fastmail needs an app password: Settings → Privacy & Security → App passwords." },
  { id: "other", label: "Another provider or my own server", host: "", port: 993, security: "tls", supported: true, note: "Your provider's IMAP settings are in its help pages. A self-signed certificate can be trusted by its fingerprint." },
];
