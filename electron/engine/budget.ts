/**
 * The daily download budget: bytes read from an account are counted per local calendar day, and
 * an operation stops (between chunks, where everything so far is committed) once the day's count
 * reaches the account's budget. The next day goes on from the checkpoints.
 */
import { dailyBudgetMbOf } from "../../shared/providers.js";
import type { Account } from "../../shared/model.js";
import { ImapError } from "./imap/errors.js";
import type { StorePort } from "./ports.js";

const MB = 1_000_000;

/** The local calendar day of `ms`, as YYYY-MM-DD. */
export function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Milliseconds from `ms` to the start of the next local day. */
export function untilNextDay(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime() - ms;
}

export interface Budget {
  /** Throws the budget's error in words when today's bytes, with `reading` more not yet recorded, reach the budget. */
  check(reading: number): void;
  /** Adds bytes read to today's count. */
  record(bytes: number): void;
}

export function budgetFor(store: Pick<StorePort, "addBytes" | "bytesOn">, account: Account, now: () => number): Budget {
  const limitMb = dailyBudgetMbOf(account);
  return {
    check(reading) {
      if (limitMb === null) return;
      const read = store.bytesOn(account.id, dayOf(now())) + reading;
      if (read < limitMb * MB) return;
      throw new ImapError(
        "budget",
        `Today's download budget for ${account.user} is spent: ${Math.round(read / MB).toLocaleString("en")} MB of ${limitMb.toLocaleString("en")} MB read today. Nothing was lost: it goes on where it stopped tomorrow, or raise the budget in the account's settings.`,
      );
    },
    record: (bytes) => store.addBytes(account.id, dayOf(now()), bytes),
  };
}
