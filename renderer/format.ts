/** Words and numbers the views show; pure, so they are tested without a browser. */
import type { Item, VerdictKind } from "../shared/model.js";
import { plural } from "../shared/words.js";

export { plural };

export const VERDICT_LABEL: Record<VerdictKind, string> = {
  backscatter: "Backscatter",
  "account-misuse": "Sent through your account",
  legit: "Real reply to your mail",
  unverifiable: "Cannot be checked",
  complaint: "Complaint",
  "not-automated": "Ordinary mail",
};

export interface DayCount {
  day: string;
  count: number;
}

/**
 * Backscatter per day over `days` days (UTC dates, zeros included), ending today, or on the day
 * of the newest backscatter when there has been none since: a chart of empty days tells nothing.
 */
export function backscatterPerDay(items: readonly Item[], days: number, today: Date): DayCount[] {
  const counts = new Map<string, number>();
  for (const i of items) {
    if (i.verdict !== "backscatter" || !i.date) continue;
    const t = Date.parse(i.date);
    if (Number.isNaN(t)) continue;
    const day = new Date(t).toISOString().slice(0, 10);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const out: DayCount[] = [];
  const newest = [...counts.keys()].sort().pop();
  const todayStart = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const end = newest && Date.parse(newest) < todayStart - (days - 1) * 86_400_000 ? Date.parse(newest) : todayStart;
  for (let k = days - 1; k >= 0; k--) {
    const day = new Date(end - k * 86_400_000).toISOString().slice(0, 10);
    out.push({ day, count: counts.get(day) ?? 0 });
  }
  return out;
}

/** The rows a virtual list renders: those in view plus `overscan` either side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last };
}

/** "3 minutes ago", "yesterday", or a date: how long since `then`. */
export function since(then: number, now: number): string {
  const s = Math.round((now - then) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return plural(Math.round(s / 60), "minute") + " ago";
  if (s < 86_400) return plural(Math.round(s / 3600), "hour") + " ago";
  return new Date(then).toLocaleDateString("en");
}

/** A size for people: 0 B, 12 KB, 3.4 MB, 1.2 GB. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
