// The scan's server-side first pass against Dovecot: on the shared corpus, a generated mailbox and
// the lab scenario, the search pass finds exactly the candidates the fetch gate finds, with the
// same verdicts and fewer bytes. A server whose search is refused or finds nothing fails its
// proof, and the scan falls back to the fetch gate with the same result.
import { readFileSync } from "node:fs";
import { listMessageFiles } from "../../electron/engine/cli/files.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SearchPassOptions } from "../../electron/engine/context.js";
import type { Item, ScanSummary } from "../../shared/model.js";
import { engineFor, type EngineSetup } from "../harness/engine.js";
import { startDovecot, writeMaildir, type Dovecot } from "../harness/dovecot.js";
import { mailboxStream } from "../harness/generate.js";
import { seed } from "../harness/imap.js";
import { scenario } from "../harness/mailbox.js";
import { SISIMAI } from "../harness/paths.js";
import { startProxy, type ProxyOptions } from "../harness/proxy.js";

let d: Dovecot;
const cleanup: (() => unknown)[] = [];

beforeAll(async () => {
  d = await startDovecot();
  const box = mailboxStream(600, { seed: 7 });
  writeMaildir(
    d,
    "Sent",
    [...box.sent()].map((m) => m.raw),
  );
  const corpus = (await listMessageFiles(SISIMAI, SISIMAI)).map((f) => readFileSync(f.path, "latin1"));
  writeMaildir(d, "INBOX", [...corpus, ...[...box.inbox(0, 3000)].map((m) => m.raw)]);
  await seed(d, scenario(2));
}, 120_000);

afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  await d?.stop();
});

async function engineOn(searchPass: SearchPassOptions | false, proxy: ProxyOptions | null = null): Promise<EngineSetup> {
  const through = proxy ? await startProxy(d, proxy) : null;
  if (through) cleanup.push(() => through.close());
  const setup = await engineFor(d, { readAhead: false, searchPass, retry: { attempts: 4, baseMs: 10, maxMs: 50 } }, { port: through?.port ?? d.port });
  cleanup.push(() => setup.dispose());
  return setup;
}

const verdicts = (items: readonly Item[]) => items.map((i) => [i.uid, i.verdict, i.confidence, i.reason].join(" ")).sort();
const trait = (s: EngineSetup): string | null => s.engine.store.serverTrait(s.accountId, d.host, "search-pass");
const scan = (s: EngineSetup): Promise<ScanSummary> => s.engine.scan({ accountId: s.accountId, listFlagged: true });

describe("the search pass", () => {
  let gate: ScanSummary;
  beforeAll(async () => {
    gate = await scan(await engineOn(false));
  }, 120_000);

  it("finds what the fetch gate finds, with the same verdicts, for fewer bytes", { timeout: 120_000 }, async () => {
    // Bytes count more than time here (as on Gmail): the search is used once proved correct, quicker or not.
    const setup = await engineOn({ fromMessages: 1, saveBytes: true });
    const searched = await scan(setup);
    expect(trait(setup)).toMatch(/^(?:trusted|slower: search and fetch of what it found \d+ ms, fetch gate \d+ ms a thousand messages)$/);
    expect(gate.scanned).toBeGreaterThan(3600);
    expect(gate.candidates).toBeGreaterThan(1000);
    expect(searched.errors).toEqual(gate.errors);
    expect(searched.scanned).toBe(gate.scanned);
    expect(searched.candidates).toBe(gate.candidates);
    expect(searched.counts).toEqual(gate.counts);
    expect(verdicts(searched.flagged)).toEqual(verdicts(gate.flagged));
    expect(searched.bytesFetched).toBeLessThan(gate.bytesFetched);
  });

  it("goes on after a dropped connection to the same verdicts", { timeout: 120_000 }, async () => {
    // The first connection is cut after the search has been answered, while the hits are fetched.
    const setup = await engineOn({ fromMessages: 1, saveBytes: true }, { cutAfter: (n) => (n === 0 ? 1_500_000 : null) });
    const r = await scan(setup);
    expect(r.warnings.join(" ")).toMatch(/reconnected/);
    expect(r.counts).toEqual(gate.counts);
    expect(verdicts(r.flagged)).toEqual(verdicts(gate.flagged));
  });

  it.each([
    ["refuses it", { refuse: [/UID SEARCH .* OR /i] }, /^refused: the server would not search/],
    ["finds nothing", { findNothing: /UID SEARCH .* OR /i }, /^refused: its search missed \d+ of \d+ candidates/],
  ] as const)("is not used on a server that %s: the fetch gate scans, to the same result", { timeout: 120_000 }, async (_what, proxy, why) => {
    const setup = await engineOn({ fromMessages: 1, saveBytes: true }, proxy);
    const r = await scan(setup);
    expect(trait(setup)).toMatch(why);
    expect(r.candidates).toBe(gate.candidates);
    expect(r.counts).toEqual(gate.counts);
    expect(verdicts(r.flagged)).toEqual(verdicts(gate.flagged));
  });
});

describe("the search pass on a server that takes command lines of 8 KB", () => {
  it("fits its SEARCH commands in them, to the fetch gate's verdicts", { timeout: 120_000 }, async () => {
    const small = await startDovecot({ maxLineLength: 8192 });
    cleanup.push(() => small.stop());
    await seed(small, scenario(3));
    const on = async (searchPass: SearchPassOptions | false): Promise<ScanSummary> => {
      const setup = await engineFor(small, { readAhead: false, searchPass });
      cleanup.push(() => setup.dispose());
      const r = await setup.engine.scan({ accountId: setup.accountId, listFlagged: true });
      if (searchPass) expect(setup.engine.store.serverTrait(setup.accountId, small.host, "search-pass")).toMatch(/^(?:trusted|slower:)/);
      return r;
    };
    const gate = await on(false);
    const searched = await on({ fromMessages: 1, saveBytes: true });
    expect(searched.errors).toEqual([]);
    expect(verdicts(searched.flagged)).toEqual(verdicts(gate.flagged));
  });
});
