/**
 * The network's answers to a report's questions (see evidence.ts): SPF of the handoff IP and
 * DKIM verification of a whole attached original (both by mailauth), and the reporting server on
 * Backscatterer.org's list. Every answer goes through the one resolver; a question nobody
 * answered comes back as "no-network", never as an error that stops a scan.
 */
import { isNegative, type Dns } from "../dns/resolver.js";
import type { DkimResult, NetAnswers, NetQuestions, SpfResult } from "./evidence.js";

/** The DNS list of servers that send misdirected bounces, used only as evidence ("safe mode"). */
export const BACKSCATTERER_ZONE = "ips.backscatterer.org";

const reversed = (ipv4: string): string => ipv4.split(".").reverse().join(".");

/** SPF of `ip` for `domain`, as a receiving server would have judged mail from it. */
export async function spfOf(q: NonNullable<NetQuestions["spf"]>, dns: Dns): Promise<SpfResult | "no-network"> {
  try {
    // Loaded on the first question: mailauth takes longer to load than a rescan with no new mail.
    const { spf } = await import("mailauth/lib/spf/index.js");
    const r = await spf({ sender: `postmaster@${q.domain}`, ip: q.ip, helo: q.helo ?? q.domain, mta: "backscatter-sweeper", resolver: dns.resolve });
    const result = r.status.result as SpfResult;
    return result === "temperror" ? "no-network" : result;
  } catch {
    return "no-network";
  }
}

/** Verification of the signatures of the user's domains on a whole original. */
async function dkimOf(original: Buffer, ownDomains: readonly string[], dns: Dns): Promise<NonNullable<NetAnswers["dkim"]>> {
  try {
    const { dkimVerify } = await import("mailauth/lib/dkim/verify.js");
    const r = await dkimVerify(original, { resolver: dns.resolve });
    return r.results
      .filter((s) => ownDomains.some((d) => s.signingDomain === d || s.signingDomain?.endsWith(`.${d}`)))
      .map((s) => {
        const result = s.status.result as DkimResult;
        return { domain: s.signingDomain ?? "", selector: s.selector ?? "", result: result === "temperror" ? "no-network" : result };
      });
  } catch {
    return [];
  }
}

/** Whether the reporting server is on Backscatterer.org's list (its first IPv4 address). */
async function listedOf(host: string, dns: Dns): Promise<NonNullable<NetAnswers["backscatterer"]>> {
  let ip: string | null = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : null;
  try {
    ip ??= ((await dns.resolve(host, "A")) as string[])[0] ?? null;
  } catch (error) {
    return { host, ip: null, listed: isNegative(error) ? false : "no-network" };
  }
  if (!ip) return { host, ip, listed: false };
  try {
    const answer = (await dns.resolve(`${reversed(ip)}.${BACKSCATTERER_ZONE}`, "A")) as string[];
    return { host, ip, listed: answer.some((a) => a.startsWith("127.")) };
  } catch (error) {
    return { host, ip, listed: isNegative(error) ? false : "no-network" };
  }
}

/**
 * Asks what `q` names. `original` is the whole attached original when `q.dkimPart` asked for it
 * (null: it could not be fetched, so its signature is not verified).
 */
export async function askNetwork(q: NetQuestions, dns: Dns, ownDomains: readonly string[], original: Buffer | null): Promise<NetAnswers> {
  const [spfResult, dkim, backscatterer] = await Promise.all([
    q.spf ? spfOf(q.spf, dns) : null,
    q.dkimPart && original ? dkimOf(original, ownDomains, dns) : null,
    q.reporter ? listedOf(q.reporter, dns) : null,
  ]);
  return { spf: q.spf && spfResult ? { ip: q.spf.ip, domain: q.spf.domain, result: spfResult } : null, dkim, backscatterer };
}
