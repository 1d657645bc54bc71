// Servers as they are. Without MOVE, UIDPLUS or both — behind a proxy that answers MOVE and
// (UID) EXPUNGE with BAD, as a server that really lacks them does, so the test proves we never
// send them — and with a message the user flagged \Deleted that must survive. Exchange-style and
// Gmail-style folder names. A destination over quota: a clear message, nothing lost. A server
// that throttles reads (Office 365's BAD "Request is throttled"): waited out, or said in words. An
// Exchange layout under load (NO [THROTTLED] and BYE "Server Unavailable"): slowed down, not failed.
import { afterEach, describe, expect, it } from "vitest";
import { engineFor, type EngineSetup } from "../harness/engine.js";
import { startDovecot, type Dovecot, type DovecotOptions } from "../harness/dovecot.js";
import { contents, liveIds, seed } from "../harness/imap.js";
import { expectedOf, scenario, type SeedMessage, USERS_OWN_DELETED } from "../harness/mailbox.js";
import { startProxy, type Proxy, type ProxyOptions } from "../harness/proxy.js";

const messages = scenario(2);
const { moving, staying } = expectedOf(messages);
const usersOwnDeleted = USERS_OWN_DELETED;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function server(
  options: DovecotOptions,
  fill: (d: Dovecot) => Promise<void>,
  proxyOptions: ProxyOptions = {},
  deps: Parameters<typeof engineFor>[1] = {},
): Promise<{ d: Dovecot; proxy: Proxy; setup: EngineSetup }> {
  const d = await startDovecot(options);
  cleanup.push(() => d.stop());
  await fill(d);
  const proxy = await startProxy(d, proxyOptions);
  cleanup.push(() => proxy.close());
  const setup = await engineFor(d, deps, { port: proxy.port });
  cleanup.push(async () => setup.dispose());
  return { d, proxy, setup };
}

const MOVE = /^\S+ (?:UID )?MOVE /i;
const EXPUNGE = /^\S+ (?:UID )?EXPUNGE/i;

describe.each([
  ["without MOVE", ["MOVE"], [MOVE]],
  ["without UIDPLUS", ["UIDPLUS"], [EXPUNGE]],
  ["without MOVE and UIDPLUS", ["MOVE", "UIDPLUS"], [MOVE, EXPUNGE]],
] as const)("a server %s (and refusing those commands)", (_name, hide, refuse) => {
  it("moves exactly the backscatter, never sends what it lacks, and leaves the user's own \\Deleted mail alone", { timeout: 60_000 }, async () => {
    const { d, proxy, setup } = await server({ hide: [...hide] }, (d) => seed(d, [...messages, usersOwnDeleted]), { refuse: [...refuse] });
    const r = await setup.engine.scan({ accountId: setup.accountId, apply: true });
    expect(r.errors).toEqual([]);
    expect(r.moved).toBe(moving.length);
    expect(proxy.refused).toEqual([]);
    expect(await liveIds(d, "Backscatter")).toEqual(moving);
    expect(await liveIds(d, "INBOX")).toEqual(staying);
    const inbox = await contents(d, "INBOX");
    expect(inbox.find((m) => m.messageId === usersOwnDeleted.messageId)?.flags).toContain("\\Deleted");
    if (hide.length === 2) {
      // The originals stay, flagged, and the user is told why.
      expect(r.warnings.join(" ")).toMatch(/lacks UIDPLUS/);
      expect(inbox.filter((m) => moving.includes(m.messageId)).every((m) => m.flags.includes("\\Deleted"))).toBe(true);
    }
    const undone = await setup.engine.undo({ accountId: setup.accountId });
    expect(undone.failed).toEqual([]);
    expect(await liveIds(d, "Backscatter")).toEqual([]);
    expect(await liveIds(d, "INBOX")).toEqual([...staying, ...moving].sort());
    expect(proxy.refused).toEqual([]);
  });
});

describe.each([
  ["Exchange-style names without SPECIAL-USE", "exchange", "Sent Items", "Junk Email"],
  ["Gmail-style [Gmail]/ folders", "gmail", "[Gmail]/Sent Mail", "[Gmail]/Spam"],
] as const)("%s", (_name, layout, sent, junk) => {
  it(`indexes ${sent}, scans INBOX and ${junk}, moves the backscatter of both, and undo puts each back`, { timeout: 60_000 }, async () => {
    const placed = messages.map((m, i) => (m.folder === "Sent" ? { ...m, folder: sent } : m.expect === "move" && i % 2 === 0 ? { ...m, folder: junk } : m));
    const { d, setup } = await server({ layout }, (d) => seed(d, placed as SeedMessage[]));
    // On Gmail, All Mail (named by mistake) shows every message again: it is left out, and said so.
    const allMail = layout === "gmail" ? ["[Gmail]/All Mail"] : [];
    await setup.engine.accountUpdate({ accountId: setup.accountId, changes: { scanFolders: ["INBOX", "Junk", ...allMail] } });
    const test = await setup.engine.accountTest({ accountId: setup.accountId });
    expect(test.sentFolders).toEqual([sent]);
    const r = await setup.engine.scan({ accountId: setup.accountId, apply: true });
    expect(r.errors).toEqual([]);
    expect(r.warnings.filter((w) => /is not scanned: it shows messages kept in your other folders/.test(w))).toHaveLength(allMail.length);
    expect(r.moved).toBe(moving.length);
    expect(await liveIds(d, "Backscatter")).toEqual(moving);
    expect(await liveIds(d, junk)).toEqual([]);
    expect(await liveIds(d, "INBOX")).toEqual(staying);
    // Undo puts each message back where it was found (INBOX, or the junk folder).
    const undone = await setup.engine.undo({ accountId: setup.accountId });
    expect(undone.failed).toEqual([]);
    const placedIn = (folder: string): string[] =>
      placed
        .filter((m) => m.folder === folder)
        .map((m) => m.messageId)
        .sort();
    expect(await liveIds(d, "Backscatter")).toEqual([]);
    expect(await liveIds(d, junk)).toEqual(placedIn(junk));
    expect(await liveIds(d, "INBOX")).toEqual(placedIn("INBOX"));
  });
});

describe("a destination over quota", () => {
  it("says the mailbox is full, moves nothing it cannot, and loses nothing", { timeout: 60_000 }, async () => {
    // Room for one more message: the COPY of the batch is refused with OVERQUOTA.
    const { d, setup } = await server({ hide: ["MOVE"], quota: { messages: messages.length + 1 } }, (d) => seed(d, messages));
    const r = await setup.engine.scan({ accountId: setup.accountId, apply: true });
    expect(r.moved).toBe(0);
    expect(r.errors).toHaveLength(moving.length);
    for (const e of r.errors) expect(e.error).toMatch(/mailbox is full \(the server's quota is exceeded.*Nothing was lost/);
    expect(await liveIds(d, "INBOX")).toEqual([...staying, ...moving].sort());
    expect(await liveIds(d, "Backscatter")).toEqual([]);
    expect((await contents(d, "INBOX")).filter((m) => m.flags.includes("\\Deleted"))).toEqual([]);
    // Still flagged, so the next run (with room again) moves them.
    expect(setup.engine.store.itemsWith(setup.accountId, "backscatter", "flagged")).toHaveLength(moving.length);
  });
});

describe("a server that throttles reads", () => {
  const FETCH = /^\S+ UID FETCH /i;

  it("waits as long as it asks and reads on: the scan is complete", { timeout: 60_000 }, async () => {
    const { d, proxy, setup } = await server({}, (d) => seed(d, messages), { throttle: { command: FETCH, times: 2, backoffMs: 50 } });
    const r = await setup.engine.scan({ accountId: setup.accountId, apply: true });
    expect(proxy.throttled).toHaveLength(2);
    expect(r.errors).toEqual([]);
    expect(r.moved).toBe(moving.length);
    expect(await liveIds(d, "Backscatter")).toEqual(moving);
  });

  it("gives up after three refusals in a row with words, and changes nothing", { timeout: 60_000 }, async () => {
    const { d, proxy, setup } = await server({}, (d) => seed(d, messages), { throttle: { command: FETCH, times: 1_000, backoffMs: 20 } });
    await expect(setup.engine.scan({ accountId: setup.accountId, apply: true })).rejects.toThrow(
      /limiting how many requests it answers \(throttling\).*Nothing was changed/,
    );
    expect(proxy.throttled).toHaveLength(3);
    expect(await liveIds(d, "INBOX")).toEqual([...staying, ...moving].sort());
  });
});

describe("Office 365 under load, on the Exchange layout", () => {
  const placed = messages.map((m) => (m.folder === "Sent" ? { ...m, folder: "Sent Items" } : m)) as SeedMessage[];
  // Waits of a few milliseconds here; the app's own start at 15 s after a throttling answer.
  const retry = { retry: { attempts: 6, baseMs: 5, maxMs: 20, throttledMs: 30 } };

  it.each([
    ["reads", /^\S+ UID FETCH /i],
    ["moves", /^\S+ UID MOVE /i],
  ])("slows down when told NO [THROTTLED] (%s), and finishes the scan and its moves", { timeout: 60_000 }, async (_what, command) => {
    const throttle = { command, times: 2, backoffMs: 0, answer: "no-throttled" as const };
    const { d, proxy, setup } = await server({ layout: "exchange" }, (d) => seed(d, placed), { throttle }, retry);
    const r = await setup.engine.scan({ accountId: setup.accountId, apply: true });
    expect(proxy.throttled).toHaveLength(2);
    expect(r.errors).toEqual([]);
    expect(r.moved).toBe(moving.length);
    expect(r.warnings.filter((w) => /asked the app to slow down; it waited \d+\.\d s and went on\./.test(w))).toHaveLength(2);
    expect(await liveIds(d, "Backscatter")).toEqual(moving);
    expect(await liveIds(d, "INBOX")).toEqual(staying);
    expect((await contents(d, "INBOX")).filter((m) => m.flags.includes("\\Deleted"))).toEqual([]);
  });

  it("reconnects after BYE Server Unavailable in the middle of a scan, and loses nothing", { timeout: 60_000 }, async () => {
    const bye = { command: /^\S+ UID FETCH /i, times: 2 };
    const { d, proxy, setup } = await server({ layout: "exchange" }, (d) => seed(d, placed), { bye }, retry);
    const r = await setup.engine.scan({ accountId: setup.accountId, apply: true });
    expect(proxy.byes).toHaveLength(2);
    expect(r.errors).toEqual([]);
    expect(r.moved).toBe(moving.length);
    expect(await liveIds(d, "Backscatter")).toEqual(moving);
    expect(await liveIds(d, "INBOX")).toEqual(staying);
  });
});
