// The operation runner and the sent indexer on the in-memory IMAP server: a connection lost in
// the middle of a scan is reconnected and the scan goes on from its checkpoint (nothing doubled);
// a server that never comes back is said in words; two operations on one account take turns;
// the sent index grows by what is new and skips a folder that has not changed.
import { describe, expect, it } from "vitest";
import { ImapError } from "../../../../electron/engine/imap/errors.js";
import { fakeEngines, type FakeSetup } from "../../../harness/fakeEngine.js";
import { generateMailbox } from "../../../harness/generate.js";
import { scenario } from "../../../harness/mailbox.js";

const setup = fakeEngines();

/** Drops the connection at the `n`-th command the server sees that matches `verb`. */
function dropAt(s: FakeSetup, verb: RegExp, n: number): void {
  let seen = 0;
  s.server.behaviour.before = (v) => {
    if (verb.test(v) && ++seen === n) {
      const session = s.sessions.at(-1);
      if (session) session.closed = true;
      throw new ImapError("connection", "The connection was lost.");
    }
  };
}

describe("the operation runner", () => {
  it("reconnects after a lost connection mid-scan and goes on from the checkpoint: same verdicts, nothing counted twice", async () => {
    const box = generateMailbox(1600, 200, 9);
    const seed = [...box.sent, ...box.inbox];
    const calm = await setup(seed);
    const expected = await calm.engine.scan({ accountId: calm.accountId });
    const rough = await setup(seed);
    dropAt(rough, /^FETCH ENVELOPE BODYSTRUCTURE$/, 3);
    const r = await rough.engine.scan({ accountId: rough.accountId });
    expect(r.warnings.join(" ")).toMatch(/The connection to imap\.fake\.example was lost .* reconnected after/);
    expect(rough.sessions.length).toBe(2);
    expect(r.scanned).toBe(expected.scanned);
    expect(r.counts).toEqual(expected.counts);
    expect(
      rough.engine.store
        .items(rough.accountId)
        .map((i) => `${i.uid} ${i.verdict}`)
        .sort(),
    ).toEqual(
      calm.engine.store
        .items(calm.accountId)
        .map((i) => `${i.uid} ${i.verdict}`)
        .sort(),
    );
  });

  it("gives up in words after the tries a server that keeps dropping is given, and nothing is lost", async () => {
    const s = await setup(scenario(1));
    s.server.behaviour.before = (verb) => {
      if (verb === "LIST") throw new ImapError("connection", "The connection was lost.");
    };
    await expect(s.engine.scan({ accountId: s.accountId })).rejects.toThrow(/It was tried 3 times; nothing was lost, and the next run goes on from here\./);
    expect(s.sessions.every((x) => x.closed)).toBe(true);
  });

  it("runs two operations on one account one after the other, each on a session of its own", async () => {
    const s = await setup(scenario(2));
    const [a, b] = await Promise.all([s.engine.scan({ accountId: s.accountId }), s.engine.scan({ accountId: s.accountId })]);
    expect(a.scanned).toBeGreaterThan(0);
    expect(b.unchangedFolders).toEqual(["INBOX"]);
    expect(s.sessions.length).toBe(2);
    const opened = s.server.commands.filter((c) => c === "LIST -");
    expect(opened.length).toBeGreaterThanOrEqual(2);
  });
});

describe("the sent indexer", () => {
  it("indexes Sent, then only what is new, and does not open a Sent folder that has not changed", async () => {
    const box = generateMailbox(10, 700, 3);
    const s = await setup([...box.sent]);
    const first = await s.engine.index({ accountId: s.accountId });
    expect(first).toMatchObject({ folders: ["Sent"], added: 700, total: 700 });
    s.server.commands.length = 0;
    const unchanged = await s.engine.index({ accountId: s.accountId });
    expect(unchanged).toMatchObject({ added: 0, unchanged: ["Sent"] });
    expect(s.server.commands.filter((c) => c.startsWith("SELECT") || c.startsWith("FETCH"))).toEqual([]);
    const newer = generateMailbox(0, 5, 4).sent;
    for (const m of newer) s.server.append("Sent", m.raw);
    s.server.commands.length = 0;
    const more = await s.engine.index({ accountId: s.accountId });
    expect(more).toMatchObject({ added: 5, total: 705 });
    expect(s.server.commands.filter((c) => c.startsWith("FETCH ENVELOPE Sent"))).toEqual(["FETCH ENVELOPE Sent 701:705"]);
  });

  it("indexes a Sent folder again under a new UIDVALIDITY, keeping what it knew", async () => {
    const box = generateMailbox(10, 300, 6);
    const s = await setup([...box.sent]);
    await s.engine.index({ accountId: s.accountId });
    s.server.renumber("Sent");
    const again = await s.engine.index({ accountId: s.accountId });
    expect(again.total).toBe(300);
    expect(s.server.commands.filter((c) => c.startsWith("FETCH ENVELOPE Sent")).at(-1)).toMatch(/^FETCH ENVELOPE Sent \d+:300$/);
  });
});
