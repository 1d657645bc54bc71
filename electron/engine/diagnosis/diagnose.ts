/**
 * The scanner's diagnosis step, between parsing and the verdict: for each report the index does
 * not already settle as legit, the facts about its original (evidence.ts), with the network asked
 * only then (network.ts, through the one cached resolver); for each report the index does settle,
 * the lessons it teaches about the user's own relays, kept for the next ones.
 */
import type { Account, Fact, Report } from "../../../shared/model.js";
import type { SectionRead } from "../mime/imapStructure.js";
import { classify } from "../classify.js";
import type { IndexLookup } from "../ports.js";
import type { OperationContext } from "../context.js";
import type { Lesson, OwnRecord } from "../ports.js";
import { isTransient } from "../imap/errors.js";
import { factsOf, handoffHop, lessonsOf, NO_ANSWERS, orgDomain, questionsFor, type OwnFacts } from "./evidence.js";
import { askNetwork } from "./network.js";

/** A whole attached original is read up to this many bytes to verify its signature. */
export const ORIGINAL_CAP = 256 * 1024;

/** What the diagnosis found of one report: its facts (strongest first) and where its original entered the outside world. */
export interface Diagnosis {
  facts: Fact[];
  originIp: string | null;
}

export interface Diagnosable {
  uid: number;
  report: Report;
  /** When the report arrived (INTERNALDATE), ms. */
  receivedAt: number | null;
}

/** The user's own mail as evidence sees it: their domains, their provider, what was learned. */
export function ownFactsOf(account: Pick<Account, "user" | "host">, record: OwnRecord): OwnFacts {
  const domains = new Set<string>();
  for (const address of [account.user, ...record.identities]) {
    const d = address.includes("@") ? address.split("@").pop()?.toLowerCase() : undefined;
    if (d) domains.add(d);
  }
  const provider = orgDomain(account.host.toLowerCase());
  return { domains: [...domains], providerDomains: provider ? [provider] : [], relayHosts: record.relays, batvSigned: record.batvSigned };
}

/** The IP that handed a report's original to the outside world, as its header shows; null when none does. */
function originIpOf(report: Report, own: OwnFacts): string | null {
  return report.trace ? (handoffHop(report.trace.hops, own)?.ip ?? null) : null;
}

/** The whole originals `wanted` names (uid → section), fetched in groups of one section; a refusal leaves them out. */
async function originals(ctx: OperationContext, wanted: ReadonlyMap<number, string>): Promise<Map<number, Buffer>> {
  const out = new Map<number, Buffer>();
  const byPart = new Map<string, number[]>();
  for (const [uid, part] of wanted) byPart.set(part, [...(byPart.get(part) ?? []), uid]);
  for (const [part, uids] of byPart) {
    const request: SectionRead = { part, section: "body", maxBytes: ORIGINAL_CAP };
    try {
      for (const [uid, got] of await ctx.session.sections(uids, [request])) {
        const raw = got.parts.get(part);
        if (raw) out.set(uid, raw);
      }
    } catch (error) {
      if (isTransient(error)) throw error;
    }
  }
  return out;
}

/**
 * The facts of each unsettled report (by UID), strongest first; reports the index settles as
 * legit teach their relays first, so that a chunk's own bounces already count for its others.
 */
export async function diagnose(ctx: OperationContext, items: readonly Diagnosable[], lookup: IndexLookup): Promise<Map<number, Diagnosis>> {
  const { account, store } = ctx;
  const open: Diagnosable[] = [];
  const lessons: Lesson[] = [];
  for (const item of items) {
    if (item.report.kind === "not-automated" || item.report.kind === "complaint") continue;
    // What the index alone says: evidence may change a backscatter or unverifiable verdict, never a match.
    const verdict = classify(item.report, lookup, item.receivedAt).verdict;
    if (verdict === "backscatter" || verdict === "unverifiable") {
      open.push(item);
    } else if (verdict === "legit" && item.report.references.some((r) => lookup.sentDate(r.messageId) !== undefined)) {
      lessons.push(lessonsOf(item.report));
    }
  }
  if (lessons.length > 0)
    store.learnOwn(account.id, {
      relays: lessons.flatMap((l) => l.relays),
      relayIps: lessons.flatMap((l) => l.relayIps),
      dkim: lessons.flatMap((l) => l.dkim),
      batv: lessons.some((l) => l.batv),
    });
  const facts = new Map<number, Diagnosis>();
  if (open.length === 0) return facts;

  const own = ownFactsOf(account, store.ownRecord(account.id));
  const questions = new Map(open.map((item) => [item.uid, questionsFor(item.report, own)]));
  const wanted = new Map([...questions].filter(([, q]) => q.dkimPart !== null).map(([uid, q]) => [uid, q.dkimPart ?? ""]));
  const whole = wanted.size > 0 ? await originals(ctx, wanted) : new Map<number, Buffer>();
  await Promise.all(
    open.map(async (item) => {
      const q = questions.get(item.uid);
      const net = q ? await askNetwork(q, ctx.dns, own.domains, whole.get(item.uid) ?? null) : NO_ANSWERS;
      facts.set(item.uid, { facts: factsOf(item.report, own, net, item.receivedAt), originIp: originIpOf(item.report, own) });
    }),
  );
  // A bounce to the user's own fresh BATV address shows their server signs: bare ones are suspect from now on.
  if (!own.batvSigned && [...facts.values()].some((d) => d.facts.some((x) => x.points === "genuine")))
    store.learnOwn(account.id, { relays: [], relayIps: [], dkim: [], batv: true });
  return facts;
}
