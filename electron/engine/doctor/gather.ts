/**
 * The DNS answers a domain check needs, asked through the one resolver: the domain's TXT and MX,
 * its DMARC record (and its organisational domain's), the keys of the DKIM selectors its mail was
 * seen signed with, and every include and redirect its SPF record reaches (asked round by round,
 * as the count in records.ts finds them); then SPF's word on the user's own outbound IPs.
 */
import type { DomainCheck } from "../../../shared/doctor.js";
import { isNegative, type Dns } from "../dns/resolver.js";
import { spfOf } from "../diagnosis/network.js";
import { orgDomain } from "../diagnosis/publicSuffix.js";
import { checkDomain } from "./check.js";
import { countLookups, type RecordMap } from "./records.js";

type Answer<T> = T | null | "error";

/** How many rounds of includes are followed: RFC 7208 stops at 10 look-ups anyway. */
const MAX_ROUNDS = 12;

async function asked<T>(question: Promise<T>): Promise<Answer<T>> {
  try {
    return await question;
  } catch (error) {
    return isNegative(error) ? null : "error";
  }
}

/** The answers for `domain` and its selectors, as a map the pure check reads. */
export async function gatherRecords(domain: string, selectors: readonly string[], dns: Dns): Promise<RecordMap> {
  const txt = new Map<string, Answer<string[]>>();
  const mx = new Map<string, Answer<{ exchange: string; priority: number }[]>>();
  const askTxt = async (names: readonly string[]): Promise<void> => {
    await Promise.all(
      names
        .filter((n) => !txt.has(n))
        .map(async (n) => txt.set(n, await asked((dns.resolve(n, "TXT") as Promise<string[][]>).then((rs) => rs.map((r) => r.join("")))))),
    );
  };
  const org = orgDomain(domain) ?? domain;
  await Promise.all([
    askTxt([domain, `_dmarc.${domain}`, `_dmarc.${org}`, ...selectors.map((s) => `${s}._domainkey.${domain}`)]),
    asked(dns.resolve(domain, "MX") as Promise<{ exchange: string; priority: number }[]>).then((a) => void mx.set(domain, a)),
  ]);
  const map: RecordMap = { txt: (n) => txt.get(n.toLowerCase()), mx: (n) => mx.get(n.toLowerCase()) };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const needs = countLookups(domain, map).needs;
    if (needs.length === 0) break;
    await askTxt(needs);
  }
  return map;
}

/**
 * Checks `domain`: DNS gathered, the user's outbound IPs tried against its SPF record, then the
 * pure check. `relayIps` and `selectors` come from what the user's own mail showed.
 */
export async function doctorDomain(
  domain: string,
  dns: Dns,
  known: { selectors: readonly string[]; relayIps: readonly string[]; reportTo: string | null; ownMailSeen: boolean },
): Promise<DomainCheck> {
  const d = domain.toLowerCase();
  const records = await gatherRecords(d, known.selectors, dns);
  const relays = await Promise.all(known.relayIps.map(async (ip) => ({ ip, result: await spfOf({ ip, domain: d, helo: null }, dns) })));
  return checkDomain(d, records, { ...known, relays });
}
