// Both ways of reading from imapflow against Dovecot: the fast path (its internals, checked at
// connect) and the public API the session falls back to when the check fails. Same verdicts,
// and the fallback moves (COPY, then UID EXPUNGE through messageDelete) exactly the backscatter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImapSession } from "../../electron/engine/imap/session.js";
import type { Item } from "../../shared/model.js";
import { engineFor, type EngineSetup } from "../harness/engine.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { contents, liveIds, seed } from "../harness/imap.js";
import { expectedOf, scenario, USERS_OWN_DELETED } from "../harness/mailbox.js";

const messages = scenario(3);
const { moving, staying } = expectedOf(messages);

let d: Dovecot;
const setups: EngineSetup[] = [];
const sessions: { fast: ImapSession[]; public: ImapSession[] } = { fast: [], public: [] };

/** An engine whose sessions take the given path, kept for the test to look at. */
function engineOn(path: "fast" | "public"): Promise<EngineSetup> {
  return engineFor(d, {
    readAhead: false,
    openSession: async (account, secret) => {
      const session = await ImapSession.open({ account, secret, internals: path === "fast" });
      sessions[path].push(session);
      return session;
    },
  });
}

const verdicts = (items: readonly Item[]) => items.map((i) => [i.uid, i.verdict, i.confidence, i.reason].join(" ")).sort();

beforeAll(async () => {
  d = await startDovecot({ hide: ["MOVE"] });
  await seed(d, [...messages, USERS_OWN_DELETED]);
}, 60_000);

afterAll(async () => {
  await d?.stop();
  for (const s of setups) s.dispose();
});

describe("imapflow's internals and its public API", () => {
  it("give the same scan, and the fallback moves exactly the backscatter", { timeout: 120_000 }, async () => {
    const fast = await engineOn("fast");
    const pub = await engineOn("public");
    setups.push(fast, pub);
    const a = await fast.engine.scan({ accountId: fast.accountId, listFlagged: true });
    const b = await pub.engine.scan({ accountId: pub.accountId, listFlagged: true });
    expect(sessions.fast.every((s) => s.fastPath) && sessions.fast.some((s) => s.fetchLines.fast > 0)).toBe(true);
    expect(sessions.public.every((s) => !s.fastPath && s.fetchLines.fast === 0)).toBe(true);
    expect(b.errors).toEqual([]);
    expect(b.counts).toEqual(a.counts);
    expect(verdicts(b.flagged)).toEqual(verdicts(a.flagged));
    expect(b.flagged.length).toBeGreaterThan(moving.length);

    const applied = await pub.engine.scan({ accountId: pub.accountId, apply: true });
    expect(applied.errors).toEqual([]);
    expect(applied.moved).toBe(moving.length);
    expect(await liveIds(d, "Backscatter")).toEqual(moving);
    expect(await liveIds(d, "INBOX")).toEqual(staying);
    expect((await contents(d, "INBOX")).find((m) => m.messageId === USERS_OWN_DELETED.messageId)?.flags).toContain("\\Deleted");
  });
});
