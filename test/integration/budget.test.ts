// The daily download budget against Dovecot: a scan stops between chunks once the day's budget is
// spent, says so in words, and has counted what it read; the next day the scan goes on where it
// stopped and ends with every verdict once. A watch waits for the next day, then sweeps.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayOf } from "../../electron/engine/budget.js";
import { cli } from "../harness/cli.js";

import { startDovecot, writeMailbox, type Dovecot } from "../harness/dovecot.js";
import { engineFor } from "../harness/engine.js";
import { generateMailbox } from "../harness/generate.js";
import { seed } from "../harness/imap.js";
import { dsnBounce, expectedOf } from "../harness/mailbox.js";
import { watchOn } from "../harness/watch.js";

const box = generateMailbox(3000, 300, 23);
let d: Dovecot;

beforeAll(async () => {
  d = await startDovecot();
  writeMailbox(d, box);
}, 60_000);
afterAll(() => d?.stop());

describe("the daily download budget", () => {
  it("stops a scan once the day's megabyte is read, and goes on from there the next day", { timeout: 120_000 }, async () => {
    let clock = new Date(2026, 11, 6, 10).getTime();
    const { engine, accountId, dispose } = await engineFor(d, { now: () => clock, readAhead: false }, { dailyBudgetMb: 1 });
    try {
      const stopped = await engine.scan({ accountId }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(stopped).toMatchObject({ kind: "budget" });
      expect((stopped as Error).message).toMatch(
        /^Today's download budget for alice@example\.org is spent: 1 MB of 1 MB read today\. Nothing was lost: it goes on where it stopped tomorrow/,
      );
      const today = engine.store.bytesOn(accountId, dayOf(clock));
      expect(today).toBeGreaterThanOrEqual(1_000_000);
      // It stopped between chunks, before the end of the inbox.
      const partly = engine.store.items(accountId).length;
      expect(partly).toBeGreaterThan(0);
      expect((await engine.status({ accountId })).downloadedToday).toBe(today);
      // The same day, nothing more is read at all.
      await expect(engine.scan({ accountId })).rejects.toMatchObject({ kind: "budget" });
      expect(engine.store.bytesOn(accountId, dayOf(clock))).toBe(today);

      clock += 24 * 3_600_000;
      await engine.accountUpdate({ accountId, changes: { dailyBudgetMb: 100 } });
      const rest = await engine.scan({ accountId });
      expect(rest.errors).toEqual([]);
      const flagged = engine.store
        .itemsWith(accountId, "backscatter", "flagged")
        .map((i) => i.messageId ?? "")
        .sort();
      expect(flagged).toEqual(expectedOf(box.inbox).moving);
      expect(engine.store.bytesOn(accountId, dayOf(clock))).toBeGreaterThan(0);
    } finally {
      dispose();
    }
  });

  it("makes a watch say so and wait for the next day, then sweep what arrived", { timeout: 60_000 }, async () => {
    let clock = new Date(2026, 11, 6, 10).getTime();
    // Its scan folder is Sent here, the small folder of this shared mailbox, so the sweep after the wait is quick.
    const { engine, accountId, dispose } = await engineFor(d, { now: () => clock }, { dailyBudgetMb: 1, scanFolders: ["Sent"] });
    engine.store.addBytes(accountId, dayOf(clock), 2_000_000);
    const watching = watchOn(engine, accountId, {
      now: () => clock,
      onNotice: (text) => {
        watching.notices.push(text);
        clock += 24 * 3_600_000; // the night passes while the watch waits
      },
      budgetWaitMs: 50,
    });
    const { notices } = watching;
    try {
      await expect.poll(() => notices.length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(notices[0]).toMatch(/^Today's download budget for alice@example\.org is spent: 2 MB of 1 MB read today\. .* Watching goes on then\.$/);
      await seed(d, [
        {
          folder: "Sent",
          raw: dsnBounce("late@mx.example", "forged-late@spam.example", "v@target.example", "Pills", 1),
          messageId: "late@mx.example",
          expect: "move",
          label: "late",
        },
      ]);
      await expect.poll(() => engine.store.items(accountId).some((i) => i.messageId === "late@mx.example"), { timeout: 20_000 }).toBe(true);
      expect(notices).toHaveLength(1);
    } finally {
      await watching.stop();
      dispose();
    }
  });

  it("is set with account set --budget, back to the provider's with default, and shown by status", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "bss-budget-"));
    try {
      const db = join(dir, "p.sqlite");
      const env = { BSS_PW: d.users["alice@example.org"] ?? "", XDG_DATA_HOME: "" };
      const added = await cli(
        ["account", "add", `imap://alice%40example.org@127.0.0.1:${d.port}`, "--password-env", "BSS_PW", "--budget", "250", "--db", db],
        dir,
        env,
      );
      expect(added.code, added.stderr).toBe(0);
      const status = await cli(["status", "--db", db], dir, env);
      expect(status.stdout).toMatch(/; 0\.0 MB downloaded today of the day's 250 MB\.\n$/);
      expect((await cli(["account", "set", "--budget", "default", "--db", db], dir, env)).code).toBe(0);
      expect(JSON.parse((await cli(["status", "--json", "--db", db], dir, env)).stdout)).toMatchObject({ dailyBudgetMb: null, downloadedToday: 0 });
      const refused = await cli(["account", "set", "--budget", "lots", "--db", db], dir, env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/--budget takes megabytes a day, or "default", not lots/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
