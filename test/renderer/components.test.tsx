// The review list and the chart, rendered by React (to static markup: what the DOM would get),
// and the pure helpers behind them.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Item } from "../../shared/model.js";
import type { EngineClient } from "../../shared/rpc.js";
import { DayChart } from "../../renderer/components/DayChart.js";
import { VirtualList } from "../../renderer/components/VirtualList.js";
import { backscatterPerDay, visibleRange } from "../../renderer/format.js";
import { Review } from "../../renderer/views/Review.js";

function item(id: number, over: Partial<Item> = {}): Item {
  return {
    id,
    accountId: 1,
    folder: "INBOX",
    uid: id,
    destFolder: null,
    destUid: null,
    messageId: `m${id}@mx.example`,
    date: "Mon, 16 Nov 2026 10:00:00 +0000",
    subject: "Undelivered Mail Returned to Sender",
    from: "MAILER-DAEMON@mx.example",
    kind: "bounce",
    verdict: "backscatter",
    confidence: "high",
    reason: "It answers a message you never sent: someone forged your address.",
    evidence: ["You never wrote to victim@target.example."],
    originalMessageIds: [`forged${id}@spam.example`],
    recipients: [`victim${id}@target.example`],
    originalSubject: "Cheap watches",
    reportingMta: "mx.example",
    originIp: null,
    state: "flagged",
    ...over,
  };
}

const count = (html: string, needle: string): number => html.split(needle).length - 1;

describe("backscatterPerDay", () => {
  it("counts backscatter per UTC day, zeros included, ending today", () => {
    const items = [
      item(1),
      item(2, { date: "Mon, 16 Nov 2026 23:30:00 -0200" }),
      item(3, { verdict: "legit" }),
      item(4, { date: "Sat, 21 Nov 2026 08:00:00 +0000" }),
    ];
    const days = backscatterPerDay(items, 10, new Date("2026-11-24T12:00:00Z"));
    expect(days).toHaveLength(10);
    expect(days[0]?.day).toBe("2026-11-15");
    expect(days.at(-1)?.day).toBe("2026-11-24");
    expect(days.find((d) => d.day === "2026-11-16")?.count).toBe(1);
    expect(days.find((d) => d.day === "2026-11-17")?.count).toBe(1); // 23:30 -0200 is the 17th in UTC
    expect(days.find((d) => d.day === "2026-11-21")?.count).toBe(1);
    expect(days.reduce((a, d) => a + d.count, 0)).toBe(3);
  });

  it("ends on the newest backscatter day when there was none in the window", () => {
    const days = backscatterPerDay([item(1, { date: "Thu, 01 Oct 2026 10:00:00 +0000" })], 30, new Date("2026-11-24T12:00:00Z"));
    expect(days.at(-1)).toEqual({ day: "2026-10-01", count: 1 });
  });
});

describe("DayChart", () => {
  it("draws a bar per day and repeats the numbers as a table for screen readers", () => {
    const data = [
      { day: "2026-11-22", count: 0 },
      { day: "2026-11-23", count: 4 },
      { day: "2026-11-24", count: 2 },
    ];
    const html = renderToStaticMarkup(<DayChart data={data} />);
    expect(count(html, "<rect")).toBe(3);
    expect(html).toContain("<title>2026-11-23: 4</title>");
    expect(html).toContain('aria-label="Backscatter per day, last 3 days: 6 in all"');
    expect(html).toMatch(/<th scope="row">2026-11-24<\/th><td>2<\/td>/);
  });
});

describe("VirtualList", () => {
  it("renders only the rows in view out of 10,000", () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    const html = renderToStaticMarkup(
      <VirtualList items={items} rowHeight={50} height={400} label="Numbers" active={0} onActive={() => undefined} render={(n) => <span>row {n}</span>} />,
    );
    const rendered = count(html, 'role="option"');
    expect(rendered).toBe(visibleRange(0, 400, 50, 10_000).last);
    expect(rendered).toBeLessThan(20);
    expect(html).toContain('aria-activedescendant="row-0"');
    expect(html).toContain("height:500000px");
  });

  it("visibleRange keeps a margin either side and stays inside the list", () => {
    expect(visibleRange(5_000, 400, 50, 10_000)).toEqual({ first: 92, last: 116 });
    expect(visibleRange(499_900, 400, 50, 10_000).last).toBe(10_000);
  });
});

describe("Review", () => {
  it("offers to move the backscatter still in the inbox and shows each item's reason and recipient", () => {
    const items = [
      item(1),
      item(2),
      item(3, { state: "moved", destFolder: "Backscatter", destUid: 7 }),
      item(4, { verdict: "unverifiable", reason: "No reference to the original message could be found in it, so it cannot be checked." }),
    ];
    const client = {} as EngineClient; // nothing is called while rendering
    const html = renderToStaticMarkup(<Review client={client} accountId={1} items={items} onChanged={() => undefined} />);
    expect(html).toContain("Move 2 backscatter messages");
    expect(count(html, 'role="option"')).toBe(4);
    expect(html).toContain("victim1@target.example");
    expect(html).toContain("someone forged your address");
    expect(html).toContain("Cannot be checked");
    expect(html).toContain("moved");
  });

  it("shows what a hostile bounce says as text, never as markup", () => {
    const hostile = item(1, {
      originalSubject: '<img src="https://tracker.example/p.gif" onerror="alert(1)">',
      recipients: ["<script>alert(1)</script>@x.example"],
    });
    const html = renderToStaticMarkup(<Review client={{} as EngineClient} accountId={1} items={[hostile]} onChanged={() => undefined} />);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;img src=&quot;https://tracker.example/p.gif&quot;");
  });
});
