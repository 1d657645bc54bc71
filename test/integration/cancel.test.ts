// Cancelling a scan: it stops between chunks with "Cancelled.", nothing is half-written, and the
// next scan finishes the work.
import { describe, expect, it } from "vitest";
import type { Progress } from "../../shared/model.js";
import { liveEngine } from "../harness/engine.js";
import { writeMailbox } from "../harness/dovecot.js";
import { generateMailbox } from "../harness/generate.js";
import { liveIds } from "../harness/imap.js";

const seen: Progress[] = [];
let cancelOnTriage = true;

const live = liveEngine(
  async (d) => {
    const box = generateMailbox(12_000, 200, 7);
    writeMailbox(d, box);
  },
  {},
  {
    emit: (_event, p) => {
      seen.push(p);
      if (cancelOnTriage && p.phase === "triage") void live.engine.cancel({});
    },
  },
);

describe("cancel", () => {
  it("stops a scan after the chunk under way, and says so", { timeout: 120_000 }, async () => {
    await expect(live.engine.scan({ accountId: live.accountId, apply: true })).rejects.toThrow("Cancelled.");
    const triage = seen.filter((p) => p.phase === "triage");
    expect(triage).toHaveLength(1);
    expect(triage[0]?.done).toBeLessThan(triage[0]?.total ?? 0);
    expect(await liveIds(live.d, "Backscatter")).toEqual([]);
  });

  it("the next scan finishes the work", { timeout: 120_000 }, async () => {
    cancelOnTriage = false;
    const r = await live.engine.scan({ accountId: live.accountId });
    expect(r.scanned).toBe(12_000);
    expect(r.unchangedFolders).toEqual([]);
    expect(r.counts.backscatter).toBeGreaterThan(2_500);
  });
});
