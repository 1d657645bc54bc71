/**
 * The domain check ("doctor") and the campaigns of a flood, as every host and the UI see them.
 * Plain data; the problem strings begin with a stable code (see {@link PROBLEM_CODES}).
 */

/** Stable codes at the start of each problem string. */
export const PROBLEM_CODES = [
  "spf-missing",
  "spf-softfail",
  "spf-neutral",
  "spf-pass-all",
  "spf-too-many-lookups",
  "spf-multiple",
  "spf-syntax",
  "dmarc-missing",
  "dmarc-none",
  "dmarc-quarantine",
  "dmarc-multiple",
  "dkim-missing",
  "dkim-revoked",
  "mx-missing",
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface Advice {
  /** The problem it fixes (its code first), or "provider" for a big provider's domain. */
  problem: string;
  /** What to do and why, in words. */
  fix: string;
  /** The exact record to publish ("NAME TXT value"), or null when there is none to copy. */
  record: string | null;
}

export interface DomainCheck {
  domain: string;
  /** The mailbox provider that runs this domain's DNS (gmail.com, outlook.com …), or null. */
  provider: string | null;
  spf: { record: string | null; all: string | null; lookups: number; voidLookups: number; includes: string[]; problems: string[] };
  dkim: { selectors: string[]; problems: string[] };
  dmarc: {
    record: string | null;
    policy: string | null;
    subdomainPolicy: string | null;
    pct: number | null;
    rua: string[];
    alignment: { spf: "r" | "s"; dkim: "r" | "s" } | null;
    organisationalDomain: string;
    problems: string[];
  };
  mx: string[];
  /** The domain sends no mail and says so (null MX, `v=spf1 -all`, DMARC reject). */
  parked: boolean;
  /** In the order to do them: SPF and DKIM first, then DMARC none, quarantine, reject. */
  advice: Advice[];
  /** Questions DNS did not answer (no network): what could not be checked. */
  unchecked: string[];
}

export type Trend = "rising" | "steady" | "fading";

export interface Campaign {
  /** The forged original's subject, as the spam had it ("(no subject)" when none was recovered). */
  subject: string;
  count: number;
  /** ISO times of the first and last report. */
  first: string;
  last: string;
  trend: Trend;
  /** Reports per day (UTC dates), oldest first, days without any included. */
  perDay: { day: string; count: number }[];
  /** The /24 (or /48) networks the forged originals were handed on from, most first. */
  sources: { network: string; count: number }[];
  /** The servers that sent the most reports. */
  reporters: { host: string; count: number }[];
}
