// Read-ahead (electron/engine/readAhead): phase 1 of a large scan read by a worker thread on a
// second connection. The scan's result is the same with and without it; the worker's connection
// only reads (EXAMINE, SEARCH, FETCH); and when the worker fails (its folder refused, its
// connection cut mid-read, its script missing) the scan reads the rest itself, complete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScanSummary } from "../../shared/model.js";
import { startDovecot, writeMaildir, type Dovecot } from "../harness/dovecot.js";
import { engineFor } from "../harness/engine.js";
import { mailboxStream } from "../harness/generate.js";
import { READ_AHEAD_WORKER as WORKER } from "../harness/paths.js";
import { ImapSession } from "../../electron/engine/imap/session.js";
import { READ_AHEAD_CONNECTIONS, READ_AHEAD_FETCH_UIDS, startReadAhead, type ReadAhead } from "../../electron/engine/readAhead/reader.js";
import { startProxy, type Proxy, type ProxyOptions } from "../harness/proxy.js";
import { SENT_CHUNK } from "../../electron/engine/sentIndexer.js";
import { uidChunks } from "../../electron/engine/context.js";

const INBOX = 2_600;
/** The scanner's 500-UID chunks of it, the last one partial. */
const CHUNKS = 6;
/** The worker reads each chunk in FETCHes of READ_AHEAD_FETCH_UIDS (100): 5 per full chunk, 1 for the last 100. */
const WORKER_FETCHES = 26;

let d: Dovecot;
const proxies: Proxy[] = [];
const disposals: (() => void)[] = [];

beforeAll(async () => {
  d = await startDovecot();
  const box = mailboxStream(300);
  writeMaildir(
    d,
    "Sent",
    [...box.sent()].map((m) => m.raw),
  );
  writeMaildir(
    d,
    "INBOX",
    [...box.inbox(0, INBOX)].map((m) => m.raw),
  );
}, 120_000);

afterAll(async () => {
  for (const p of proxies) await p.close();
  for (const dispose of disposals) dispose();
  await d?.stop();
});

interface Outcome {
  summary: ScanSummary;
  /** Every stored verdict, by UID. */
  items: string[];
}

/**
 * A dry-run scan from a fresh profile, through a proxy with `faults`, reading ahead with `worker`
 * (null: off) on one connection, or on more once the scanner has waited `widenAfterMs`.
 */
async function scan(worker: URL | null, faults: ProxyOptions = {}, widenAfterMs = NEVER): Promise<Outcome & { proxy: Proxy }> {
  const proxy = await startProxy(d, faults);
  proxies.push(proxy);
  // The read-ahead reads the fetch gate's phase 1; the search pass (which needs none) is off.
  const setup = await engineFor(
    d,
    { readAhead: worker ? { fromMessages: 1000, worker, widenAfterMs } : false, searchPass: false, retry: { attempts: 2, baseMs: 10, maxMs: 10 } },
    { port: proxy.port },
  );
  disposals.push(setup.dispose);
  const summary = await setup.engine.scan({ accountId: setup.accountId });
  const items = setup.engine.store.items(setup.accountId).map((i) => `${i.folder}/${i.uid} ${i.verdict} ${i.confidence} ${i.originalMessageIds.join(",")}`);
  return { summary, items: items.sort(), proxy };
}

/** A wait for chunks that never comes to an end: the worker reads on one connection. */
const NEVER = 1e9;
const EXAMINE = /^\S+ EXAMINE "?INBOX"?/i;
const SELECT = /^\S+ SELECT "?INBOX"?/i;
const PHASE_ONE = /^\S+ UID FETCH \S+ \(UID ENVELOPE BODYSTRUCTURE\)/i;
/** Commands that change a mailbox (or SELECT it read-write): a reader sends none. */
const WRITES = /^\S+ (?:UID )?(?:SELECT|STORE|COPY|MOVE|EXPUNGE|APPEND|CREATE|DELETE|RENAME)\b/i;
/** The worker's FETCH ranges: each chunk in parts of READ_AHEAD_FETCH_UIDS. */
const PARTS = Array.from({ length: WORKER_FETCHES }, (_, n) => `${n * READ_AHEAD_FETCH_UIDS + 1}:${(n + 1) * READ_AHEAD_FETCH_UIDS}`);
/** The UID ranges of the phase 1 FETCHes among `lines`. */
const phaseOneRanges = (lines: readonly string[]): string[] => lines.filter((l) => PHASE_ONE.test(l)).map((l) => l.split(" ")[3] ?? "");
const readerConnections = (p: Proxy): number[] => p.commands.flatMap((lines, n) => (lines.some((l) => EXAMINE.test(l)) ? [n] : []));

describe("reading ahead on a second connection", () => {
  let plain: Outcome;
  let readerConnection = -1;
  let scannerConnection = -1;

  beforeAll(async () => {
    plain = await scan(null);
  }, 120_000);

  const sameAsPlain = (r: Outcome): void => {
    expect(r.summary.errors).toEqual([]);
    expect(r.summary.scanned).toBe(INBOX);
    expect({ candidates: r.summary.candidates, counts: r.summary.counts }).toEqual({ candidates: plain.summary.candidates, counts: plain.summary.counts });
    expect(r.items).toEqual(plain.items);
  };

  it("scans exactly as one connection does; the second connection only reads, and reads all of phase 1", { timeout: 60_000 }, async () => {
    expect(plain.summary.counts.backscatter).toBeGreaterThan(300);
    expect(plain.summary.errors).toEqual([]);
    const r = await scan(WORKER);
    sameAsPlain(r);
    const readers = readerConnections(r.proxy);
    expect(readers).toHaveLength(1);
    readerConnection = readers[0] ?? -1;
    scannerConnection = r.proxy.commands.findIndex((lines) => lines.some((l) => SELECT.test(l)));
    const lines = r.proxy.commands[readerConnection] ?? [];
    const verbs = lines.map((l) => l.split(" ").slice(1, 3).join(" ").toUpperCase());
    expect(lines.filter((l) => WRITES.test(l))).toEqual([]);
    // Each chunk in parts (a SEARCH for \Deleted and a FETCH each), each gated as it arrives.
    expect(verbs.filter((v) => v.startsWith("UID ")).sort()).toEqual([...Array(WORKER_FETCHES).fill("UID FETCH"), ...Array(WORKER_FETCHES).fill("UID SEARCH")]);
    expect(phaseOneRanges(lines)).toEqual(PARTS);
    const phaseOne = r.proxy.commands.map((lines) => lines.filter((l) => PHASE_ONE.test(l)).length);
    expect(phaseOne.reduce((a, b) => a + b, 0)).toBe(WORKER_FETCHES); // no other connection read them again
    // Sent (300 messages) is indexed by the scanner's connection in chunks of SENT_CHUNK.
    const sentFetches = (r.proxy.commands[scannerConnection] ?? []).flatMap((l) => /^\S+ UID FETCH (\S+) \(UID ENVELOPE\)/i.exec(l)?.[1] ?? []);
    expect(sentFetches.length).toBeGreaterThan(1);
    expect(sentFetches).toEqual(uidChunks(1, 300, SENT_CHUNK));
    // Both connections' bytes are counted.
    expect(r.summary.bytesFetched).toBeGreaterThan(plain.summary.bytesFetched * 0.9);
  });

  it(
    "reads with more connections once the scanner has waited for it: the same result, each part read once, by connections that only read",
    { timeout: 60_000 },
    async () => {
      // The worker's first FETCH is throttled (as Office 365 does), so the scanner waits for its first chunk.
      const r = await scan(WORKER, { throttle: { command: PHASE_ONE, times: 1, backoffMs: 1500 } }, 0);
      sameAsPlain(r);
      const readers = readerConnections(r.proxy);
      expect(readers).toHaveLength(READ_AHEAD_CONNECTIONS);
      for (const n of readers) {
        const lines = r.proxy.commands[n] ?? [];
        expect(lines.filter((l) => WRITES.test(l))).toEqual([]);
        expect(lines.filter((l) => PHASE_ONE.test(l)).length).toBeGreaterThan(0);
      }
      // Every part once over all connections; the throttled FETCH was sent again after its wait.
      const fetched = phaseOneRanges(r.proxy.commands.flat());
      expect(r.proxy.throttled).toHaveLength(1);
      fetched.splice(fetched.indexOf(r.proxy.throttled[0]?.split(" ")[3] ?? ""), 1);
      expect(fetched.sort()).toEqual([...PARTS].sort());
    },
  );

  it("reads everything itself when the server refuses the second connection its folder", { timeout: 60_000 }, async () => {
    const r = await scan(WORKER, { refuse: [EXAMINE] });
    sameAsPlain(r);
    expect(r.proxy.refused).toHaveLength(1);
    expect(r.proxy.commands.flat().filter((l) => PHASE_ONE.test(l))).toHaveLength(CHUNKS); // the scanner's own, a chunk a FETCH
  });

  it("goes on by itself when the second connection is cut in the middle of phase 1, with no reconnect", { timeout: 60_000 }, async () => {
    expect(readerConnection).toBeGreaterThanOrEqual(0);
    const r = await scan(WORKER, { cutAfter: (n) => (n === readerConnection ? 400_000 : null) });
    sameAsPlain(r);
    expect(r.proxy.cuts).toBe(1);
    expect(readerConnections(r.proxy)).toEqual([readerConnection]);
    expect(r.summary.warnings.join(" ")).not.toMatch(/reconnect/i);
  });

  it("uses one connection after losing one while two were open (a server that drops the older login)", { timeout: 60_000 }, async () => {
    expect(scannerConnection).toBeGreaterThanOrEqual(0);
    const r = await scan(WORKER, { cutAfter: (n) => (n === scannerConnection ? 150_000 : null) });
    sameAsPlain(r);
    expect(r.proxy.cuts).toBe(1);
    expect(r.summary.warnings.join(" ")).toMatch(/reconnected/);
    expect(readerConnections(r.proxy)).toEqual([readerConnection]); // the first attempt's only
  });

  it("reads everything itself when the worker cannot start", { timeout: 60_000 }, async () => {
    const r = await scan(new URL("./no-such-worker.js", WORKER));
    sameAsPlain(r);
    expect(readerConnections(r.proxy)).toEqual([]);
  });
});

describe("the worker's budget of chunks read ahead", () => {
  /**
   * A reader of all of INBOX (of `server`) through a fresh proxy, holding up to `lookaheadBytes` of
   * packed chunks and widening after `widenAfterMs`; and INBOX's UIDVALIDITY. The connection that
   * asked for it stays logged in until `done`.
   */
  async function reader(
    lookaheadBytes: number,
    { widenAfterMs = NEVER, server = d } = {},
  ): Promise<{ r: ReadAhead; uidValidity: number; proxy: Proxy; fetches: () => number; done: () => Promise<void> }> {
    const proxy = await startProxy(server);
    proxies.push(proxy);
    const setup = await engineFor(server, {}, { port: proxy.port });
    disposals.push(setup.dispose);
    const account = (await setup.engine.accountList({})).find((a) => a.id === setup.accountId);
    if (!account) throw new Error("no account");
    const secret = server.users["alice@example.org"] ?? "";
    const session = await ImapSession.open({ account, secret });
    const status = await session.status("INBOX");
    const r = startReadAhead(
      {
        account,
        secret,
        folder: "INBOX",
        afterUid: 0,
        chunkSize: 500,
        fetchUids: READ_AHEAD_FETCH_UIDS,
        lookaheadBytes,
        connections: READ_AHEAD_CONNECTIONS,
        widenAfterMs,
      },
      WORKER,
    );
    const done = async (): Promise<void> => {
      await r.close();
      await session.close();
    };
    return { r, uidValidity: status?.uidValidity ?? 0, proxy, fetches: () => proxy.commands.flat().filter((l) => PHASE_ONE.test(l)).length, done };
  }
  const ranges = Array.from({ length: CHUNKS }, (_, n) => `${n * 500 + 1}:${Math.min((n + 1) * 500, INBOX)}`);
  const until = async (condition: () => boolean): Promise<void> => {
    for (let waited = 0; !condition(); waited += 20) {
      if (waited > 30_000) throw new Error("timed out waiting for the worker");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it("reads on while the scanner is busy elsewhere (indexing Sent), then hands over every chunk in order", { timeout: 60_000 }, async () => {
    const { r, uidValidity, fetches, done } = await reader(8 * 1024 * 1024);
    try {
      // Nothing taken yet, and the worker reads the whole folder: six chunks pack to far less than 8 MiB.
      await until(() => fetches() === WORKER_FETCHES);
      let scanned = 0;
      for (const range of ranges) scanned += (await r.take(range, uidValidity))?.scanned ?? Number.NaN;
      expect(scanned).toBe(INBOX);
    } finally {
      await done();
    }
  });

  it("holds one chunk and no more while the budget is spent (and the parts read past it), and reads on as chunks are taken", { timeout: 60_000 }, async () => {
    const { r, uidValidity, fetches, done } = await reader(1);
    try {
      // The first chunk in its parts, and the parts read past it for the connections to go on with (waiting packed).
      const held = 500 / READ_AHEAD_FETCH_UIDS + 2 * READ_AHEAD_CONNECTIONS;
      await until(() => fetches() === held);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(fetches()).toBe(held);
      let scanned = 0;
      for (const range of ranges) scanned += (await r.take(range, uidValidity))?.scanned ?? Number.NaN;
      expect(scanned).toBe(INBOX);
      expect(fetches()).toBe(WORKER_FETCHES);
    } finally {
      await done();
    }
  });

  it("opens its other connections when the scanner waits, and every part is read once and handed over in order", { timeout: 60_000 }, async () => {
    const { r, uidValidity, proxy, fetches, done } = await reader(1, { widenAfterMs: 0 });
    try {
      // The first take has to wait (the worker logs in first).
      let scanned = (await r.take(ranges[0] ?? "", uidValidity))?.scanned ?? Number.NaN;
      await until(() => readerConnections(proxy).length === READ_AHEAD_CONNECTIONS);
      for (const range of ranges.slice(1)) scanned += (await r.take(range, uidValidity))?.scanned ?? Number.NaN;
      expect(scanned).toBe(INBOX);
      expect(fetches()).toBe(WORKER_FETCHES);
      const byConnection = readerConnections(proxy).map((n) => (proxy.commands[n] ?? []).filter((l) => PHASE_ONE.test(l)).length);
      expect(byConnection.every((count) => count > 0)).toBe(true);
    } finally {
      await done();
    }
  });

  it("reads with the connections a server allows when it refuses the others", { timeout: 60_000 }, async () => {
    // Two logins allowed: the asking connection's and the worker's first, both in before the worker
    // widens. (With one left free, Dovecot's count lets two logins at the same moment both in.)
    const limited = await startDovecot({ maxConnections: 2 });
    try {
      writeMaildir(
        limited,
        "INBOX",
        [...mailboxStream(0).inbox(0, 1200)].map((m) => m.raw),
      );
      const { r, uidValidity, proxy, done } = await reader(1, { widenAfterMs: 0, server: limited });
      try {
        let scanned = 0;
        for (const range of ["1:500", "501:1000", "1001:1200"]) scanned += (await r.take(range, uidValidity))?.scanned ?? Number.NaN;
        expect(scanned).toBe(1200);
        expect(await r.take("1201:1700", uidValidity)).toBeNull(); // the end
        await until(() => proxy.connections === 1 + READ_AHEAD_CONNECTIONS);
        expect(readerConnections(proxy)).toHaveLength(1); // both others refused at login
      } finally {
        await done();
      }
    } finally {
      await limited.stop();
    }
  });
});
