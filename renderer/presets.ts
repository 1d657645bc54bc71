/** The onboarding's provider list: the shared presets, then manual settings. */
import type { Security } from "../shared/model.js";
import { PROVIDERS } from "../shared/providers.js";

export interface Preset {
  id: string;
  label: string;
  host: string;
  port: number;
  security: Security;
  /** Shown under the sign-in. */
  note: string;
  /** The OAuth provider to sign in with, where there is one. */
  oauth?: "google" | "microsoft";
  /** False where a password cannot work at all (Microsoft: sign-in only). */
  password: boolean;
}

export const PRESETS: readonly Preset[] = [
  ...PROVIDERS.map((p) => ({
    id: p.id,
    label: p.label,
    host: p.host,
    port: p.port,
    security: p.security,
    note: p.note,
    ...(p.oauth ? { oauth: p.oauth } : {}),
    password: p.id !== "microsoft",
  })),
  {
    id: "other",
    label: "Another provider or my own server",
    host: "",
    port: 993,
    security: "tls",
    password: true,
    note: "Your provider's IMAP settings are in its help pages. A self-signed certificate can be trusted by its fingerprint.",
  },
];
