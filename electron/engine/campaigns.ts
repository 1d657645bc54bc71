/**
 * Campaigns: the backscatter of one spam run, told apart by the forged original's subject, split
 * where its reports stop for days, with its daily curve, its sources' networks, its reporting
 * servers, and whether it is rising or fading. Pure: items and a clock in, campaigns out.
 */
import type { Campaign, Trend } from "../../shared/doctor.js";
import type { Item } from "../../shared/model.js";
import { subjectKey, withoutReplyPrefixes } from "./db/store.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Reports of one subject this far apart belong to different runs. */
const GAP = 3 * DAY;
/** A trend compares the last window before now with the one before it. */
const WINDOW = 12 * HOUR;

type Reported = Pick<Item, "verdict" | "originalSubject" | "date" | "originIp" | "reportingMta">;

/** The network an address belongs to: its /24 (IPv4) or /48 (IPv6). */
export function networkOf(ip: string): string {
  if (ip.includes(":")) return `${ip.split(":").slice(0, 3).join(":")}::/48`;
  return `${ip.split(".").slice(0, 3).join(".")}.0/24`;
}

function top(values: readonly (string | null)[], n: number): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([key, count]) => ({ key, count }));
}

/** Rising, steady or fading: the last {@link WINDOW} before `now` against the one before it. */
export function trendOf(times: readonly number[], now: number): Trend {
  const recent = times.filter((t) => t > now - WINDOW && t <= now).length;
  const before = times.filter((t) => t > now - 2 * WINDOW && t <= now - WINDOW).length;
  if (recent === 0) return "fading";
  if (recent > before * 1.25 + 1) return "rising";
  if (recent < before * 0.75) return "fading";
  return "steady";
}

const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

function perDay(times: readonly number[]): { day: string; count: number }[] {
  const first = Math.min(...times);
  const last = Math.max(...times);
  const out: { day: string; count: number }[] = [];
  for (let t = Date.parse(isoDay(first)); t <= last; t += DAY) out.push({ day: isoDay(t), count: 0 });
  for (const t of times) {
    const slot = out[Math.floor((t - Date.parse(isoDay(first))) / DAY)];
    if (slot) slot.count++;
  }
  return out;
}

function campaign(subject: string, group: readonly { at: number; item: Reported }[], now: number): Campaign {
  const times = group.map((g) => g.at);
  return {
    subject,
    count: group.length,
    first: new Date(Math.min(...times)).toISOString(),
    last: new Date(Math.max(...times)).toISOString(),
    trend: trendOf(times, now),
    perDay: perDay(times),
    sources: top(
      group.map((g) => (g.item.originIp ? networkOf(g.item.originIp) : null)),
      5,
    ).map(({ key, count }) => ({ network: key, count })),
    reporters: top(
      group.map((g) => g.item.reportingMta?.toLowerCase() ?? null),
      5,
    ).map(({ key, count }) => ({ host: key, count })),
  };
}

/** The campaigns among an account's backscatter (moved or not), largest first. */
export function campaignsOf(items: readonly Reported[], now: number): Campaign[] {
  const bySubject = new Map<string, { label: string; dated: { at: number; item: Reported }[] }>();
  for (const item of items) {
    if (item.verdict !== "backscatter") continue;
    const at = item.date ? Date.parse(item.date) : Number.NaN;
    if (Number.isNaN(at)) continue;
    // Replies and forwards of the spam are the same run: shown by the subject without their prefixes.
    const label = withoutReplyPrefixes(item.originalSubject ?? "") || "(no subject)";
    const key = subjectKey(label);
    const entry = bySubject.get(key) ?? { label, dated: [] };
    entry.dated.push({ at, item });
    bySubject.set(key, entry);
  }
  const out: Campaign[] = [];
  for (const { label, dated } of bySubject.values()) {
    dated.sort((a, b) => a.at - b.at);
    let run: { at: number; item: Reported }[] = [];
    for (const d of dated) {
      const prev = run[run.length - 1];
      if (prev && d.at - prev.at > GAP) {
        out.push(campaign(label, run, now));
        run = [];
      }
      run.push(d);
    }
    if (run.length > 0) out.push(campaign(label, run, now));
  }
  return out.sort((a, b) => b.count - a.count || b.last.localeCompare(a.last));
}

/** One line on the whole flood: is it fading or still rising? Null when there is no backscatter. */
export function floodLine(campaigns: readonly Campaign[]): string | null {
  if (campaigns.length === 0) return null;
  const rising = campaigns.filter((c) => c.trend === "rising");
  const steady = campaigns.filter((c) => c.trend === "steady");
  if (rising.length > 0)
    return `The flood is still rising: ${rising.length === 1 ? "one campaign grows" : `${rising.length} campaigns grow`} (“${rising[0]?.subject ?? ""}”).`;
  if (steady.length > 0)
    return `The flood goes on at a steady rate: ${steady.length === 1 ? "one campaign is" : `${steady.length} campaigns are`} still arriving as fast as half a day ago.`;
  return "The flood is fading: no campaign is growing; most such floods end within one to three days.";
}
