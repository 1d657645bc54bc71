/**
 * `doctor [DOMAIN | --account EMAIL] [--json]`: the domain check, one JSON object per domain (the
 * account's address's first); `campaigns [--json]`: the account's backscatter campaigns. Exit 0
 * whatever was found; 1 when a domain could not be looked up at all.
 */
import type { Campaign, DomainCheck } from "../../../shared/doctor.js";
import type { Engine } from "../index.js";
import type { CommandIo } from "./io.js";

/** The interface's shape: the check without the fields only the UI uses. */
export function doctorJson(c: DomainCheck): unknown {
  return {
    domain: c.domain,
    provider: c.provider,
    spf: { record: c.spf.record, all: c.spf.all, lookups: c.spf.lookups, problems: c.spf.problems },
    dkim: { selectors: c.dkim.selectors, problems: c.dkim.problems },
    dmarc: { record: c.dmarc.record, policy: c.dmarc.policy, problems: c.dmarc.problems },
    mx: c.mx,
    advice: c.advice,
    parked: c.parked,
    unchecked: c.unchecked,
  };
}

function doctorText(c: DomainCheck): string {
  const lines = [`${c.domain}${c.provider ? ` (${c.provider})` : ""}${c.parked ? ": a parked domain that sends no mail, and says so" : ""}`];
  lines.push(`  SPF: ${c.spf.record ?? "none"}${c.spf.record ? ` (${c.spf.lookups} look-ups)` : ""}`);
  lines.push(`  DKIM selectors seen on your mail: ${c.dkim.selectors.join(", ") || "none"}`);
  lines.push(`  DMARC: ${c.dmarc.record ?? "none"}`);
  lines.push(`  MX: ${c.mx.join(", ") || "none"}`);
  for (const p of [...c.spf.problems, ...c.dkim.problems, ...c.dmarc.problems]) lines.push(`  problem: ${p}`);
  for (const u of c.unchecked) lines.push(`  not checked: ${u}`);
  if (c.advice.length === 0) lines.push("  Nothing to change.");
  c.advice.forEach((a, i) => lines.push(`  ${i + 1}. ${a.fix}${a.record ? `\n     ${a.record}` : ""}`));
  return lines.join("\n") + "\n";
}

/** A domain nobody could be asked about: neither its TXT nor its MX records came back. */
const unreachable = (c: DomainCheck): boolean =>
  c.unchecked.some((u) => u.startsWith("the SPF record")) && c.unchecked.some((u) => u.startsWith("the MX records"));

export async function doctorCommand(engine: Engine, target: { accountId?: number; domain?: string }, json: boolean, io: CommandIo): Promise<number> {
  const checks = await engine.doctor(target);
  for (const c of checks) io.stdout(json ? JSON.stringify(doctorJson(c)) + "\n" : doctorText(c));
  const failed = checks.filter(unreachable);
  for (const c of failed) io.stderr(`error: ${c.domain} could not be looked up: no DNS server answered (no network?).\n`);
  return failed.length > 0 ? 1 : 0;
}

function campaignLine(c: Campaign): string {
  return `${c.count.toLocaleString("en")} × “${c.subject}” ${c.first.slice(0, 16).replace("T", " ")} to ${c.last.slice(0, 16).replace("T", " ")} UTC, ${c.trend}${c.sources[0] ? `; from ${c.sources.map((s) => s.network).join(", ")}` : ""}${c.reporters[0] ? `; reported most by ${c.reporters[0].host}` : ""}`;
}

export async function campaignsCommand(engine: Engine, accountId: number, json: boolean, io: CommandIo): Promise<number> {
  const { campaigns, line } = await engine.campaigns({ accountId });
  if (json) io.stdout(JSON.stringify(campaigns.map((c) => ({ subject: c.subject, count: c.count, first: c.first, last: c.last, trend: c.trend }))) + "\n");
  else io.stdout(campaigns.length === 0 ? "No backscatter yet.\n" : [line ?? "", ...campaigns.map(campaignLine)].join("\n") + "\n");
  return 0;
}
