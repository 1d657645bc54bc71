// Campaigns on a generated flood of three spam runs with different curves: one rising into now,
// one fading out, one steady; plus a run that stopped for days and started again.
import { describe, expect, it } from "vitest";
import { campaignsOf, floodLine, networkOf, trendOf } from "../../../electron/engine/campaigns.js";
import type { Item } from "../../../shared/model.js";
import { prng } from "../../harness/generate.js";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 5, 12);
type Reported = Pick<Item, "verdict" | "originalSubject" | "date" | "originIp" | "reportingMta">;

/** `perHour(h)` reports in the hour h hours before now, for `hours` hours, with the subject and a source network. */
function run(subject: string, net: string, hours: number, perHour: (hoursAgo: number) => number, rnd: () => number): Reported[] {
  const out: Reported[] = [];
  for (let h = hours; h >= 1; h--) {
    for (let i = 0; i < perHour(h); i++) {
      const at = NOW - h * HOUR + Math.floor(rnd() * HOUR);
      out.push({
        verdict: "backscatter",
        originalSubject: i % 3 === 0 ? `Re: ${subject}` : subject,
        date: new Date(at).toUTCString(),
        originIp: `${net}.${1 + Math.floor(rnd() * 200)}`,
        reportingMta: `mx${i % 4}.remote${Math.floor(rnd() * 3)}.example`,
      });
    }
  }
  return out;
}

describe("campaigns", () => {
  const rnd = prng(7);
  const rising = run("Cheap watches", "203.0.113", 36, (h) => Math.round((36 - h) * 1.5), rnd);
  const fading = run("Your invoice", "198.51.100", 48, (h) => (h > 24 ? 30 : Math.max(0, h - 18)), rnd);
  const steady = run("Crypto profits", "192.0.2", 48, () => 10, rnd);
  const noise: Reported[] = [
    { verdict: "legit", originalSubject: "Cheap watches", date: new Date(NOW - HOUR).toUTCString(), originIp: null, reportingMta: null },
    { verdict: "backscatter", originalSubject: "Undated", date: null, originIp: null, reportingMta: null },
  ];
  const all = [...rising, ...fading, ...steady, ...noise];

  it("tells the three runs apart by subject (reply prefixes aside), with counts, first and last, sorted by size", () => {
    const found = campaignsOf(all, NOW);
    expect(found.map((c) => c.subject).sort()).toEqual(["Crypto profits", "Cheap watches", "Your invoice"].sort());
    for (const [subject, items] of [
      ["Cheap watches", rising],
      ["Your invoice", fading],
      ["Crypto profits", steady],
    ] as const) {
      const c = found.find((x) => x.subject === subject);
      expect(c?.count).toBe(items.length);
      const times = items.map((i) => Date.parse(i.date ?? ""));
      expect(c?.first).toBe(new Date(Math.min(...times)).toISOString());
      expect(c?.last).toBe(new Date(Math.max(...times)).toISOString());
    }
    expect(found.map((c) => c.count)).toEqual([...found.map((c) => c.count)].sort((a, b) => b - a));
  });

  it("says which is rising, fading or steady", () => {
    const trend = Object.fromEntries(campaignsOf(all, NOW).map((c) => [c.subject, c.trend]));
    expect(trend).toEqual({ "Cheap watches": "rising", "Your invoice": "fading", "Crypto profits": "steady" });
    expect(floodLine(campaignsOf(all, NOW))).toMatch(/^The flood is still rising: one campaign grows \(“Cheap watches”\)/);
    expect(floodLine(campaignsOf(fading, NOW))).toMatch(/^The flood is fading/);
    expect(floodLine(campaignsOf(steady, NOW))).toMatch(/steady rate/);
    expect(floodLine([])).toBeNull();
    // A day later with nothing new, every campaign has faded.
    expect(campaignsOf(all, NOW + 24 * HOUR).every((c) => c.trend === "fading")).toBe(true);
  });

  it("gives each a daily curve that adds up, its source networks and its top reporting servers", () => {
    const c = campaignsOf(all, NOW).find((x) => x.subject === "Crypto profits");
    expect(c?.perDay.reduce((n, d) => n + d.count, 0)).toBe(steady.length);
    expect(c?.perDay.map((d) => d.day)).toEqual(["2026-12-03", "2026-12-04", "2026-12-05"]);
    expect(c?.sources).toEqual([{ network: "192.0.2.0/24", count: steady.length }]);
    expect(c?.reporters.length).toBeGreaterThan(0);
    expect(c?.reporters.reduce((n, r) => n + r.count, 0)).toBeLessThanOrEqual(steady.length);
    expect(networkOf("2001:db8:1:2::5")).toBe("2001:db8:1::/48");
  });

  it("splits one subject into two campaigns when it stopped for days", () => {
    const early = run("Cheap watches", "203.0.113", 4, () => 5, rnd).map((i) => ({
      ...i,
      date: new Date(Date.parse(i.date ?? "") - 10 * 24 * HOUR).toUTCString(),
    }));
    const found = campaignsOf([...rising, ...early], NOW).filter((c) => c.subject === "Cheap watches");
    expect(found.map((c) => c.count)).toEqual([rising.length, early.length]);
    expect(trendOf([], NOW)).toBe("fading");
  });
});
