// A rescan opens a folder it scanned before without asking its STATUS first: the SELECT's numbers
// say whether anything changed (then nothing is fetched) and where the new mail starts. A folder
// never scanned to the end is asked its STATUS at the start (the read-ahead decides on it). On the
// wire, through a proxy in front of a real Dovecot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { engineFor, type EngineSetup } from "../harness/engine.js";
import { seed } from "../harness/imap.js";
import { dsnBounce, scenario, type SeedMessage } from "../harness/mailbox.js";
import { startProxy, type Proxy } from "../harness/proxy.js";

let d: Dovecot;
let proxy: Proxy;
let setup: EngineSetup;

beforeAll(async () => {
  d = await startDovecot();
  await seed(d, scenario(2));
  proxy = await startProxy(d);
  setup = await engineFor(d, {}, { port: proxy.port });
}, 60_000);

afterAll(async () => {
  setup?.dispose();
  await proxy?.close();
  await d?.stop();
});

/** A scan, and the command lines it sent (every connection it opened). */
async function scanOnTheWire(): Promise<{ r: Awaited<ReturnType<EngineSetup["engine"]["scan"]>>; lines: string[] }> {
  const before = proxy.commands.length;
  const r = await setup.engine.scan({ accountId: setup.accountId });
  return { r, lines: proxy.commands.slice(before).flat() };
}

const verbs = (lines: readonly string[], folder: string): string[] =>
  lines.flatMap((l) => {
    const m = /^\S+ (STATUS|SELECT|EXAMINE) "?([^"(]+?)"?(?: \(|$)/i.exec(l);
    return m && m[2] === folder ? [(m[1] ?? "").toUpperCase()] : [];
  });
const inboxFetches = (lines: readonly string[]): string[] => lines.filter((l) => /^\S+ UID FETCH \S+ \(UID ENVELOPE BODYSTRUCTURE\)/i.test(l));

const newBackscatter: SeedMessage[] = [0, 1, 2].map((k) => ({
  folder: "INBOX",
  raw: dsnBounce(`late-bs-${k}@mx.remote.example`, `forged-late-${k}@spam.example`, `late${k}@target.example`, "Cheap watches", 800 + k),
  messageId: `late-bs-${k}@mx.remote.example`,
  expect: "move",
  label: "backscatter arriving after the first scan",
}));

describe("rescanning a folder scanned before", () => {
  it("first scan: STATUS, then SELECT; rescans: the SELECT alone finds the folder unchanged or its new mail", { timeout: 60_000 }, async () => {
    const first = await scanOnTheWire();
    expect(first.r.errors).toEqual([]);
    expect(first.r.scanned).toBe(18);
    expect(verbs(first.lines, "INBOX")).toEqual(["STATUS", "SELECT"]);

    const unchanged = await scanOnTheWire();
    expect(unchanged.r.unchangedFolders).toEqual(["INBOX"]);
    expect(unchanged.r.scanned).toBe(0);
    expect(verbs(unchanged.lines, "INBOX")).toEqual(["SELECT"]);
    expect(inboxFetches(unchanged.lines)).toEqual([]);

    await seed(d, newBackscatter);
    const backscatterBefore = first.r.counts.backscatter;
    const grown = await scanOnTheWire();
    expect(grown.r.errors).toEqual([]);
    expect(grown.r.unchangedFolders).toEqual([]);
    expect(verbs(grown.lines, "INBOX")).toEqual(["SELECT"]);
    // Only the new messages (UIDs 19-21) are read, and each is found to be backscatter.
    expect(inboxFetches(grown.lines).map((l) => l.split(" ")[3])).toEqual(["19:21"]);
    expect(grown.r.scanned).toBe(3);
    expect(grown.r.counts.backscatter).toBe(3);
    const flagged = setup.engine.store.itemsWith(setup.accountId, "backscatter", "flagged").map((i) => i.messageId);
    expect(flagged).toHaveLength(backscatterBefore + 3);
    expect(flagged).toEqual(expect.arrayContaining(newBackscatter.map((m) => m.messageId)));

    // The checkpoint was stored from the SELECT's numbers: the next rescan finds nothing new.
    const again = await scanOnTheWire();
    expect(again.r.unchangedFolders).toEqual(["INBOX"]);
    expect(inboxFetches(again.lines)).toEqual([]);
  });
});
