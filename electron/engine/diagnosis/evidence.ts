/**
 * Evidence about where a report's original came from, as facts in words: read from the report
 * (its original's Received chain and DKIM tags, the remote server's words, BATV) against what is
 * known of the user's own mail (domains, relays), and from network answers gathered at the edge
 * (SPF of the handoff IP, DKIM verification, Backscatterer). Pure: classify weighs the facts.
 */
import { orgDomain } from "./publicSuffix.js";
import type { Fact, Hop, Report } from "../../../shared/model.js";
import { batvFresh, isAuthenticated } from "../bounce/trace.js";
import type { Lesson } from "../ports.js";
import { readRemoteWords } from "./remoteWords.js";

/** What is known of the user's own mail, learned from the account and the index. */
export interface OwnFacts {
  /** The user's sending domains (their address, the From of their sent mail), lower case. */
  domains: readonly string[];
  /** Organisational domains of the user's provider (the IMAP server's), lower case. */
  providerDomains: readonly string[];
  /** Relay hosts seen in the Received chains of the user's own mail (bounces that matched Sent). */
  relayHosts: readonly string[];
  /** Bounces of the user's own mail came to BATV-signed return addresses. */
  batvSigned: boolean;
}

export type SpfResult = "pass" | "fail" | "softfail" | "neutral" | "none" | "permerror" | "temperror";
export type DkimResult = "pass" | "fail" | "neutral" | "policy" | "none" | "temperror" | "permerror";

/** What the network said; null where a question was not asked, "no-network" where nobody answered. */
export interface NetAnswers {
  spf: { ip: string; domain: string; result: SpfResult | "no-network" } | null;
  /** Verification of the user's own domain's signatures on a whole attached original. */
  dkim: { domain: string; selector: string; result: DkimResult | "no-network" }[] | null;
  backscatterer: { host: string; ip: string | null; listed: boolean | "no-network" } | null;
}

/** The questions for the network a report raises: asked only for candidates whose verdict is not yet legit. */
export interface NetQuestions {
  /** SPF of the IP that handed the original to the outside world, against the user's domain it claims. */
  spf: { ip: string; domain: string; helo: string | null } | null;
  /** The attached original's section, when it carries a signature of the user's domain to verify. */
  dkimPart: string | null;
  /** The reporting server, to look up on Backscatterer.org. */
  reporter: string | null;
}

export { orgDomain };

export const NO_ANSWERS: NetAnswers = { spf: null, dkim: null, backscatterer: null };

/** True when `domain` is one of `domains` or below one of them. */
function under(domain: string, domains: readonly string[]): boolean {
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/** True when a hop was received by one of the user's own (or own provider's) servers. */
export function isOwnHop(hop: Hop, own: OwnFacts): boolean {
  if (!hop.by) return false;
  if (own.relayHosts.includes(hop.by)) return true;
  const org = orgDomain(hop.by);
  return org !== null && (under(org, own.domains) || own.providerDomains.includes(org));
}

/** Private, loopback and link-local addresses say nothing of where mail came from. */
export function isPublicIp(ip: string): boolean {
  if (ip.includes(":")) return !/^(?:::1?$|fe80:|fc|fd)/i.test(ip);
  const [a = 0, b = 0] = ip.split(".").map(Number);
  return !(
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/**
 * The hop that handed the original to the outside world: going up from the oldest hop, the first
 * received by a server that is not the user's own, with a public IP for its sender.
 */
export function handoffHop(hops: readonly Hop[], own: OwnFacts): Hop | null {
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (!hop || isOwnHop(hop, own)) continue;
    if (hop.ip && isPublicIp(hop.ip)) return hop;
  }
  return null;
}

const domainOf = (address: string | null): string | null => address?.split("@")[1]?.toLowerCase() ?? null;

/** The user's domain the original claims to come from, or null when it claims another's. */
function claimedOwnDomain(report: Report, own: OwnFacts): string | null {
  const d = domainOf(report.original.from);
  return d !== null && under(d, own.domains) ? d : null;
}

/** What to ask the network about a report (nothing for a report without a trace or a reporter). */
export function questionsFor(report: Report, own: OwnFacts): NetQuestions {
  const trace = report.trace;
  const domain = claimedOwnDomain(report, own);
  const hop = trace && domain ? handoffHop(trace.hops, own) : null;
  const ownSignature = trace?.dkim.some((t) => under(t.domain, own.domains)) ?? false;
  return {
    spf: hop?.ip && domain ? { ip: hop.ip, domain, helo: hop.from } : null,
    dkimPart: ownSignature && trace?.attachedPart ? trace.attachedPart : null,
    reporter: report.reportingMta && /[a-z]/i.test(report.reportingMta) ? report.reportingMta.toLowerCase() : null,
  };
}

/** Facts read from the report alone: the remote server's words, the original's path and signatures, BATV. */
function reportFacts(report: Report, own: OwnFacts, receivedAt: number | null): Fact[] {
  const facts: Fact[] = [];
  const words = readRemoteWords(report.recipients);
  if (words.restricted)
    facts.push({
      points: "misuse",
      strength: 3,
      text: `Your provider says your account is blocked from sending: “${words.restricted}”. Mail went out as you, through your account.`,
    });
  if (words.authFailure)
    facts.push({
      points: "forged",
      strength: 2,
      text: `The receiving server refused the original because it failed your domain's authentication (SPF, DKIM or DMARC): “${words.authFailure}”. It did not come from your mail servers.`,
    });

  const hops = report.trace?.hops ?? [];
  const where =
    report.trace?.source === "inline-copy"
      ? "a copy of its header quoted in the report"
      : report.trace?.source === "attached-headers"
        ? "its header attached to the report"
        : "the original attached to the report";
  const ownHops = hops.map((h, i) => ({ h, i })).filter(({ h }) => isOwnHop(h, own));
  const signedIn = ownHops.find(({ h }) => isAuthenticated(h));
  if (signedIn) {
    facts.push({
      points: "misuse",
      strength: 3,
      text: `It was handed to your mail server ${signedIn.h.by ?? "?"} by a client that signed in (with ${signedIn.h.with ?? "?"}${signedIn.h.ip ? ` from ${signedIn.h.ip}` : ""}), as ${where} shows: someone sent it with your password.`,
    });
  } else if (ownHops.some(({ i }) => hops.slice(0, i).some((above) => !isOwnHop(above, own)))) {
    // Own servers below a foreign one: the mail left through them, not merely arrived at them.
    const host = ownHops[ownHops.length - 1]?.h.by ?? "?";
    facts.push({ points: "own-relay", strength: 2, text: `It went out through your own mail server ${host}, as ${where} shows.` });
  } else if (hops.length > 0 && (own.domains.length > 0 || own.relayHosts.length > 0)) {
    const foreign = [...new Set(hops.map((h) => h.by).filter((b): b is string => b !== null))].slice(0, 3);
    facts.push({
      points: "forged",
      strength: 1,
      text: `It never passed through your mail servers (it went through ${foreign.join(", ") || "unnamed servers"}).`,
    });
  }

  const ownTags = (report.trace?.dkim ?? []).filter((t) => under(t.domain, own.domains));
  if (ownTags.length > 0 && !report.trace?.attachedPart) {
    const tag = ownTags[0];
    facts.push({
      points: "weak",
      strength: 1,
      text: `It carries a DKIM signature of your domain (d=${tag?.domain ?? ""}, s=${tag?.selector ?? ""}), but only a copy of its header came back, so it cannot be verified: weak evidence either way.`,
    });
  }

  if (report.batv) {
    const domain = domainOf(report.batv);
    const fresh = receivedAt === null || batvFresh(report.batv.split("@")[0] ?? "", receivedAt);
    if (domain !== null && under(domain, own.domains) && fresh)
      facts.push({
        points: "genuine",
        strength: 3,
        text: `It was sent to your signed return address (${report.batv}): your mail server signed (BATV) the mail it answers.`,
      });
  } else if (own.batvSigned && (report.kind === "bounce" || report.kind === "delay")) {
    facts.push({
      points: "forged",
      strength: 2,
      text: "It came to your bare address, although your mail server signs the return address of your mail (BATV): it answers mail your server never sent.",
    });
  }
  return facts;
}

/** Facts from the network's answers. */
function netFacts(net: NetAnswers): Fact[] {
  const facts: Fact[] = [];
  const unchecked: string[] = [];
  if (net.spf) {
    const { ip, domain, result } = net.spf;
    if (result === "no-network") unchecked.push(`the SPF of ${domain} for ${ip}`);
    else if (result === "fail")
      facts.push({
        points: "forged",
        strength: 2,
        text: `The server that handed it to the outside world (${ip}) is not allowed to send for ${domain} by its SPF record: forged.`,
      });
    else if (result === "softfail")
      facts.push({
        points: "forged",
        strength: 1,
        text: `The server that handed it to the outside world (${ip}) is not one ${domain}'s SPF record names (it says ~all).`,
      });
    else if (result === "pass")
      facts.push({
        points: "weak",
        strength: 1,
        text: `The server that handed it to the outside world (${ip}) is allowed to send for ${domain} by its SPF record: it may have come from your provider.`,
      });
  }
  for (const d of net.dkim ?? []) {
    if (d.result === "no-network") unchecked.push(`the DKIM key ${d.selector}._domainkey.${d.domain}`);
    else if (d.result === "pass")
      facts.push({
        points: "misuse",
        strength: 3,
        text: `Its DKIM signature of your domain (d=${d.domain}, s=${d.selector}) verifies: your mail server signed it.`,
      });
    else if (d.result === "fail" || d.result === "neutral")
      facts.push({ points: "forged", strength: 1, text: `It carries a DKIM signature of your domain (d=${d.domain}, s=${d.selector}) that does not verify.` });
  }
  if (net.backscatterer) {
    const { host, ip, listed } = net.backscatterer;
    if (listed === "no-network") unchecked.push(`Backscatterer.org for ${host}`);
    else if (listed)
      facts.push({
        points: "forged",
        strength: 1,
        text: `The server that sent this report (${host}${ip ? `, ${ip}` : ""}) is listed by Backscatterer.org as one that sends misdirected bounces.`,
      });
  }
  if (unchecked.length > 0) facts.push({ points: "unchecked", strength: 1, text: `Not checked, no network: ${unchecked.join("; ")}.` });
  return facts;
}

/** Every fact about a report, strongest first. `receivedAt` dates a BATV tag when the report has no date. */
export function factsOf(report: Report, own: OwnFacts, net: NetAnswers, receivedAt: number | null): Fact[] {
  return [...reportFacts(report, own, receivedAt), ...netFacts(net)].sort((a, b) => b.strength - a.strength);
}

/**
 * What a bounce of the user's own mail teaches: the relays its original went out through (the
 * oldest hops of one organisation, when a hop of another received it from them), the IP that
 * handed it on, the DKIM signatures it carried, and whether it came to a BATV address.
 */
export function lessonsOf(report: Report): Lesson {
  const hops = report.trace?.hops ?? [];
  const dkim = report.trace?.dkim ?? [];
  const run: string[] = [];
  let org: string | null = null;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    const o = orgDomain(hop?.by ?? null);
    if (!hop?.by || !o) continue;
    org ??= o;
    if (o === org) {
      if (!run.includes(hop.by)) run.push(hop.by);
      continue;
    }
    // Another organisation received it from the run: the run was the user's way out.
    if (hop.from && orgDomain(hop.from) === org && !run.includes(hop.from)) run.push(hop.from);
    return { relays: run, relayIps: hop.ip && isPublicIp(hop.ip) ? [hop.ip] : [], dkim, batv: report.batv !== null };
  }
  return { relays: [], relayIps: [], dkim, batv: report.batv !== null };
}
