/**
 * The domain check: DNS answers in, problems and staged advice out (pure). The advice follows
 * Google's and Microsoft's order: SPF and DKIM first, then DMARC at p=none with reports, then
 * quarantine, then reject; it never proposes an SPF `-all` that a relay of the user's own mail
 * (learned from their real bounces) would fail.
 */
import type { Advice, DomainCheck } from "../../../shared/doctor.js";
import { PROVIDERS } from "../../../shared/providers.js";
import type { SpfResult } from "../diagnosis/evidence.js";
import { orgDomain } from "../diagnosis/publicSuffix.js";
import { allOf, countLookups, dkimKeyState, dmarcRecordsOf, parseDmarc, parseSpf, spfRecordsOf, type RecordMap, type SpfRecord } from "./records.js";

/** What is known of the user's mail for this domain, beyond DNS. */
export interface Known {
  /** DKIM selectors the user's mail from this domain was seen signed with. */
  selectors: readonly string[];
  /** Outbound IPs of the user's own mail, and what the domain's SPF record says of each. */
  relays: readonly { ip: string; result: SpfResult | "no-network" }[];
  /** Where DMARC reports should go (the user's address), or null for `dmarc-reports@DOMAIN`. */
  reportTo: string | null;
  /** Some of the user's own mail was seen (a real bounce's original): its lack of a signature means something. */
  ownMailSeen: boolean;
}

const MAX_LOOKUPS = 10;
const MAX_VOID = 2;

const answer = <T>(a: T | null | undefined | "error"): T | null => (a === undefined || a === "error" ? null : a);
const txtRecord = (name: string, value: string): string => `${name} TXT "${value}"`;

/** The record with `all` set to `qualifier` and the missing relay IPs listed before it. */
function tightened(record: SpfRecord, qualifier: string, addIps: readonly string[]): string {
  const terms = record.terms
    .filter((t) => t.mechanism !== "all")
    .map((t) => `${t.qualifier === "+" ? "" : t.qualifier}${t.mechanism}${t.value ? `:${t.value}` : ""}`);
  const ips = addIps.map((ip) => `${ip.includes(":") ? "ip6" : "ip4"}:${ip}`);
  return ["v=spf1", ...terms, ...ips, ...(record.redirect && qualifier === "" ? [`redirect=${record.redirect}`] : []), `${qualifier}all`].join(" ");
}

function spfPart(domain: string, records: RecordMap, known: Known, out: DomainCheck, advice: Advice[]): void {
  const txt = records.txt(domain);
  if (txt === "error") return void out.unchecked.push(`the SPF record of ${domain}`);
  const spf = spfRecordsOf(txt ?? []);
  out.spf.record = spf[0] ?? null;
  if (spf.length === 0) {
    const problem = `spf-missing: ${domain} publishes no SPF record, so any server may send as it`;
    out.spf.problems.push(problem);
    const ips = known.relays.map((r) => r.ip);
    advice.push({
      problem,
      fix: "Publish an SPF record naming the servers you send from. It starts at ~all (mail from other servers is marked, not refused); once your own mail has passed for a week, change it to -all.",
      record: txtRecord(domain, ["v=spf1", "mx", ...ips.map((ip) => `${ip.includes(":") ? "ip6" : "ip4"}:${ip}`), "~all"].join(" ")),
    });
    return;
  }
  if (spf.length > 1) {
    const problem = `spf-multiple: ${domain} publishes ${spf.length} SPF records; receivers treat that as an error (permerror) and ignore them all`;
    out.spf.problems.push(problem);
    advice.push({ problem, fix: "Merge the SPF records into one: a domain may publish only one.", record: null });
  }
  const record = parseSpf(spf[0] ?? "");
  out.spf.all = allOf(record);
  for (const e of record.errors) out.spf.problems.push(`spf-syntax: ${e}`);
  const count = countLookups(domain, records);
  out.spf.lookups = count.lookups;
  out.spf.voidLookups = count.voidLookups;
  out.spf.includes = count.includes;
  if (count.lookups > MAX_LOOKUPS || count.voidLookups > MAX_VOID) {
    const problem = `spf-too-many-lookups: evaluating it takes ${count.lookups} DNS look-ups (at most ${MAX_LOOKUPS} allowed)${count.voidLookups > MAX_VOID ? ` and ${count.voidLookups} come back empty (at most ${MAX_VOID})` : ""}; receivers give up with permerror`;
    out.spf.problems.push(problem);
    advice.push({
      problem,
      fix: "Remove includes of services you no longer send with, or replace an include by the IP ranges it stands for, until it takes 10 look-ups or fewer.",
      record: null,
    });
  }
  const weak: Record<string, [string, string]> = {
    "~all": ["spf-softfail", "ends in ~all: mail from other servers is only marked (softfail), so forged mail is accepted and bounced to you later"],
    "?all": ["spf-neutral", "ends in ?all: it says nothing about other servers"],
    "+all": ["spf-pass-all", "ends in +all: it allows every server in the world to send as you"],
  };
  const issue = out.spf.all === null ? (record.redirect ? null : ["spf-neutral", "has no all term: it says nothing about other servers"]) : weak[out.spf.all];
  if (!issue) return;
  const problem = `${issue[0]}: ${domain}'s SPF record ${issue[1]}`;
  out.spf.problems.push(problem);
  const failing = known.relays.filter((r) => r.result !== "pass" && r.result !== "no-network").map((r) => r.ip);
  if (known.relays.length === 0) {
    advice.push({
      problem,
      fix: "Change the end of your SPF record to -all once every server you send from is listed. No bounce of your own mail has shown us your servers yet, so check that list before you change it (scan again after a real bounce and check again).",
      record: null,
    });
  } else if (failing.length > 0) {
    advice.push({
      problem,
      fix: `First add the servers your own mail went out through (${failing.join(", ")}) to the record, keeping ~all; -all now would make your own mail fail.`,
      record: txtRecord(domain, tightened(record, "~", failing)),
    });
  } else {
    advice.push({
      problem,
      fix: "Change the end of your SPF record to -all: every server your own mail went out through is listed, and receivers will then refuse forged mail instead of bouncing it to you.",
      record: txtRecord(domain, tightened(record, "-", [])),
    });
  }
}

function dkimPart(domain: string, records: RecordMap, known: Known, out: DomainCheck, advice: Advice[]): void {
  out.dkim.selectors = [...known.selectors];
  if (known.selectors.length === 0) {
    if (!known.ownMailSeen) return void out.unchecked.push(`DKIM: none of your own mail from ${domain} has been seen yet (a bounce of it shows its signature)`);
    const problem = `dkim-missing: none of your mail from ${domain} that we have seen was DKIM-signed`;
    out.dkim.problems.push(problem);
    advice.push({
      problem,
      fix: "Turn on DKIM signing for your domain in your mail provider's settings and publish the key record it gives you.",
      record: null,
    });
    return;
  }
  for (const selector of known.selectors) {
    const name = `${selector}._domainkey.${domain}`;
    const txt = records.txt(name);
    if (txt === "error") {
      out.unchecked.push(`the DKIM key ${name}`);
      continue;
    }
    const state = dkimKeyState(txt ?? []);
    if (state === "revoked") out.dkim.problems.push(`dkim-revoked: the key of selector ${selector} is revoked (p= is empty): mail signed with it fails DKIM`);
    else if (state === "none")
      out.dkim.problems.push(`dkim-missing: the key of selector ${selector} (${name}) is not published: mail signed with it fails DKIM`);
  }
  const revoked = out.dkim.problems.find((p) => p.startsWith("dkim-revoked"));
  const unpublished = out.dkim.problems.find((p) => p.startsWith("dkim-missing"));
  if (revoked)
    advice.push({
      problem: revoked,
      fix: "Publish the current key of that selector (your provider's DKIM settings show it), or stop signing with it.",
      record: null,
    });
  if (unpublished) advice.push({ problem: unpublished, fix: "Publish the key record your provider's DKIM settings give you for that selector.", record: null });
}

function dmarcPart(domain: string, records: RecordMap, known: Known, out: DomainCheck, advice: Advice[]): void {
  const org = orgDomain(domain) ?? domain;
  out.dmarc.organisationalDomain = org;
  let txt = records.txt(`_dmarc.${domain}`);
  if (txt !== "error" && dmarcRecordsOf(txt ?? []).length === 0 && org !== domain) txt = records.txt(`_dmarc.${org}`);
  if (txt === "error") return void out.unchecked.push(`the DMARC record of ${domain}`);
  const found = dmarcRecordsOf(txt ?? []);
  const name = `_dmarc.${domain}`;
  const rua = `mailto:${known.reportTo ?? `dmarc-reports@${domain}`}`;
  const authReady = out.spf.problems.length === 0 && out.dkim.problems.length === 0;
  if (found.length === 0) {
    const problem = `dmarc-missing: ${domain} publishes no DMARC policy, so receivers decide alone what to do with forged mail`;
    out.dmarc.problems.push(problem);
    advice.push({
      problem,
      fix: "Publish a DMARC record at p=none with reports first: for a few weeks the reports show who sends as your domain, without refusing anything.",
      record: txtRecord(name, `v=DMARC1; p=none; rua=${rua}`),
    });
    return;
  }
  if (found.length > 1) out.dmarc.problems.push(`dmarc-multiple: ${found.length} DMARC records; receivers ignore them all`);
  const d = parseDmarc(found[0] ?? "");
  Object.assign(out.dmarc, {
    record: found[0] ?? null,
    policy: d.policy,
    subdomainPolicy: d.subdomainPolicy,
    pct: d.pct,
    rua: d.rua,
    alignment: { spf: d.aspf, dkim: d.adkim },
  });
  const keep = d.rua.length > 0 ? d.rua.join(",") : rua;
  const next = (p: string): string => txtRecord(name, `v=DMARC1; p=${p}; rua=${keep}`);
  if (d.policy === "none") {
    const problem = `dmarc-none: ${domain}'s DMARC policy is p=none: forged mail is still delivered or bounced`;
    out.dmarc.problems.push(problem);
    advice.push(
      authReady
        ? {
            problem,
            fix: "SPF and DKIM are in order: move DMARC to p=quarantine, so receivers put forged mail in spam instead of bouncing it to you.",
            record: next("quarantine"),
          }
        : { problem, fix: "Keep p=none until the SPF and DKIM problems above are fixed; then move to p=quarantine.", record: null },
    );
  } else if (d.policy === "quarantine" || (d.pct !== null && d.pct < 100)) {
    const problem = `dmarc-quarantine: ${domain}'s DMARC policy is p=${d.policy ?? "?"}${d.pct !== null && d.pct < 100 ? ` for ${d.pct}% of mail` : ""}: forged mail is not refused outright`;
    out.dmarc.problems.push(problem);
    advice.push(
      authReady
        ? {
            problem,
            fix: "Once your reports show only your own servers passing, move DMARC to p=reject: receivers then refuse forged mail during delivery, and nothing bounces to you.",
            record: next("reject"),
          }
        : { problem, fix: "Fix the SPF and DKIM problems above before moving to p=reject.", record: null },
    );
  }
}

/** Checks one domain from the answers in `records`. */
export function checkDomain(domain: string, records: RecordMap, known: Known): DomainCheck {
  const d = domain.toLowerCase();
  const provider = PROVIDERS.find((p) => p.domains.includes(d))?.label ?? null;
  const out: DomainCheck = {
    domain: d,
    provider,
    spf: { record: null, all: null, lookups: 0, voidLookups: 0, includes: [], problems: [] },
    dkim: { selectors: [], problems: [] },
    dmarc: { record: null, policy: null, subdomainPolicy: null, pct: null, rua: [], alignment: null, organisationalDomain: d, problems: [] },
    mx: [],
    parked: false,
    advice: [],
    unchecked: [],
  };
  const advice: Advice[] = [];
  const mx = records.mx(d);
  if (mx === "error") out.unchecked.push(`the MX records of ${d}`);
  out.mx = (answer(mx) ?? []).sort((a, b) => a.priority - b.priority).map((m) => m.exchange.toLowerCase().replace(/\.$/, "") || ".");
  spfPart(d, records, known, out, advice);
  dkimPart(d, records, known, out, advice);
  dmarcPart(d, records, known, out, advice);
  const nullMx = out.mx.length === 1 && out.mx[0] === ".";
  out.parked = nullMx && out.spf.all === "-all" && out.spf.lookups === 0 && out.dmarc.policy === "reject";
  if (out.parked) {
    // A domain that sends no mail: its only job is to refuse everything, and it does.
    out.dkim.problems = [];
    return { ...out, advice: [] };
  }
  if (mx !== "error" && out.mx.length === 0) {
    advice.push({
      problem: `mx-missing: ${d} has no MX record`,
      fix: `${d} has no MX record, so replies and real bounces to it go nowhere. If the domain sends no mail at all, publish the parked-domain set instead: a null MX, SPF -all and DMARC reject.`,
      record: `${d} MX 0 .`,
    });
  }
  if (provider) {
    // The provider runs this domain's DNS and is strict already: nothing to publish.
    return {
      ...out,
      spf: { ...out.spf, problems: [] },
      dkim: { ...out.dkim, problems: [] },
      dmarc: { ...out.dmarc, problems: [] },
      advice: [
        {
          problem: "provider",
          fix: `${provider} runs ${d}'s DNS and already publishes strict SPF, DKIM and DMARC: there is nothing for you to change. Floods like this fade within days; let the app sweep them, and report the campaigns' sources if you like.`,
          record: null,
        },
      ],
    };
  }
  return { ...out, advice };
}

/** The problem codes a check found ("spf-softfail", "mx-missing", ...), each once. */
export function problemCodes(check: DomainCheck): string[] {
  const all = [...check.spf.problems, ...check.dkim.problems, ...check.dmarc.problems, ...check.advice.map((a) => a.problem)];
  return [...new Set(all.map((p) => p.split(":")[0] ?? p))].filter((c) => c !== "provider");
}
