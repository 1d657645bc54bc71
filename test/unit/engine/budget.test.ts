// The daily download budget, pure parts: the local day, the wait until the next one, each
// account's budget (its own, else its provider's), and the check against what was read.
import { describe, expect, it } from "vitest";
import { budgetFor, dayOf, untilNextDay } from "../../../electron/engine/budget.js";
import { ImapError } from "../../../electron/engine/imap/errors.js";
import { dailyBudgetMbOf } from "../../../shared/providers.js";
import type { Account } from "../../../shared/model.js";
import { testAccount } from "../../harness/engine.js";

const account = (over: Partial<Account>): Account => testAccount({ host: "imap.example.org", port: 993, security: "tls", ...over });

describe("the daily download budget", () => {
  it("counts by the local calendar day, and knows how long until the next one", () => {
    const evening = new Date(2026, 11, 6, 23, 59, 30).getTime();
    expect(dayOf(evening)).toBe("2026-12-06");
    expect(dayOf(evening + 30_000)).toBe("2026-12-07");
    expect(untilNextDay(evening)).toBe(30_000);
  });

  it("is the account's own, else its provider's: 1,000 MB on Gmail, none elsewhere", () => {
    expect(dailyBudgetMbOf({ host: "imap.gmail.com" })).toBe(1000);
    expect(dailyBudgetMbOf({ host: "IMAP.GMAIL.COM", dailyBudgetMb: null })).toBe(1000);
    expect(dailyBudgetMbOf({ host: "imap.gmail.com", dailyBudgetMb: 300 })).toBe(300);
    expect(dailyBudgetMbOf({ host: "imap.example.org" })).toBeNull();
  });

  it("stops once today's recorded bytes and those being read reach it, in words, and not for yesterday's", () => {
    const counts = new Map<string, number>();
    const store = {
      addBytes: (_id: number, day: string, bytes: number) => void counts.set(day, (counts.get(day) ?? 0) + bytes),
      bytesOn: (_id: number, day: string) => counts.get(day) ?? 0,
    };
    let now = new Date(2026, 11, 6, 12).getTime();
    const budget = budgetFor(store, account({ dailyBudgetMb: 2 }), () => now);
    budget.record(1_500_000);
    expect(() => budget.check(400_000)).not.toThrow();
    let error: unknown = null;
    try {
      budget.check(600_000);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImapError);
    expect((error as ImapError).kind).toBe("budget");
    expect((error as ImapError).message).toBe(
      "Today's download budget for alice@example.org is spent: 2 MB of 2 MB read today. Nothing was lost: it goes on where it stopped tomorrow, or raise the budget in the account's settings.",
    );
    now += 24 * 3_600_000;
    expect(() => budget.check(600_000)).not.toThrow();
    expect(() => budgetFor(store, account({}), () => now).check(1e12)).not.toThrow();
  });
});
