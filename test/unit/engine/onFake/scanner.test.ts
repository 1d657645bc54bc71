// The scanner on the in-memory IMAP server: the lab scenario's verdicts, a rescan that reads
// nothing, new mail only, a UIDVALIDITY change, a folder deleted under the scan, and the search
// pass against the fetch gate.
import { describe, expect, it } from "vitest";
import { fakeEngines, type FakeSetup } from "../../../harness/fakeEngine.js";
import { generateMailbox } from "../../../harness/generate.js";
import { scenario } from "../../../harness/mailbox.js";

const messages = scenario(3);
const moving = messages
  .filter((m) => m.expect === "move")
  .map((m) => m.messageId)
  .sort();
const setup = fakeEngines();

const flaggedIds = (s: FakeSetup): string[] =>
  s.engine.store
    .itemsWith(s.accountId, "backscatter", "flagged")
    .map((i) => i.messageId ?? "")
    .sort();

describe("the scanner", () => {
  it("flags exactly the scenario's backscatter, and --apply moves exactly it", async () => {
    const s = await setup(messages);
    const dry = await s.engine.scan({ accountId: s.accountId });
    expect(dry.errors).toEqual([]);
    expect(dry.scanned).toBe(messages.filter((m) => m.folder === "INBOX").length);
    expect(flaggedIds(s)).toEqual(moving);
    const applied = await s.engine.scan({ accountId: s.accountId, apply: true });
    expect(applied.moved).toBe(moving.length);
    expect(s.server.liveIds("Backscatter")).toEqual(moving);
  });

  it("reads nothing on a rescan with no new mail, and only the new mail after some arrives", async () => {
    const s = await setup(messages);
    await s.engine.scan({ accountId: s.accountId });
    s.server.commands.length = 0;
    const again = await s.engine.scan({ accountId: s.accountId });
    expect(again.unchangedFolders).toEqual(["INBOX"]);
    expect(s.server.commands.filter((c) => c.startsWith("FETCH"))).toEqual([]);
    const uid = s.server.append("INBOX", messages.find((m) => m.label === "backscatter bounce")?.raw.replace(/bs-bounce-0@/g, "bs-bounce-new@") ?? "");
    s.server.commands.length = 0;
    const more = await s.engine.scan({ accountId: s.accountId });
    expect(more.scanned).toBe(1);
    expect(s.server.commands.filter((c) => c.startsWith("FETCH ENVELOPE BODYSTRUCTURE INBOX"))).toEqual([`FETCH ENVELOPE BODYSTRUCTURE INBOX ${uid}:${uid}`]);
  });

  it("scans a folder again from its start when its UIDVALIDITY changed, and drops the items under the old UIDs", async () => {
    const s = await setup(messages);
    await s.engine.scan({ accountId: s.accountId });
    const before = s.engine.store
      .items(s.accountId)
      .map((i) => i.messageId)
      .sort();
    s.server.renumber("INBOX");
    const r = await s.engine.scan({ accountId: s.accountId });
    expect(r.scanned).toBe(messages.filter((m) => m.folder === "INBOX").length);
    const after = s.engine.store.items(s.accountId);
    expect(after.map((i) => i.messageId).sort()).toEqual(before);
    expect(new Set(after.map((i) => s.engine.store.itemUidvalidity(i.id)))).toEqual(new Set([s.server.folders.get("INBOX")?.uidValidity]));
  });

  it("says in words when a folder goes away under the scan, and scans the others", async () => {
    const s = await setup(messages);
    await s.engine.accountUpdate({ accountId: s.accountId, changes: { scanFolders: ["INBOX", "Gone"] } });
    const r = await s.engine.scan({ accountId: s.accountId });
    expect(r.errors.map((e) => e.error)).toEqual([expect.stringMatching(/The folder Gone does not exist on the server/)]);
    expect(flaggedIds(s)).toEqual(moving);
  });

  it("finds the same candidates with the server's search as with the fetch gate, for fewer bytes", async () => {
    const box = generateMailbox(1500, 300, 5);
    const seed = [...box.sent, ...box.inbox];
    const gate = await setup(seed, { searchPass: false });
    const searched = await setup(seed, { searchPass: { fromMessages: 1 } });
    // Proved before (its proof has a test of its own, against Dovecot): this scan only searches.
    searched.engine.store.setServerTrait(searched.accountId, "imap.fake.example", "search-pass", "trusted");
    const a = await gate.engine.scan({ accountId: gate.accountId, listFlagged: true });
    const b = await searched.engine.scan({ accountId: searched.accountId, listFlagged: true });
    expect(searched.server.commands.filter((c) => c.startsWith("SEARCH OR"))).toHaveLength(1);
    expect(b.candidates).toBe(a.candidates);
    expect(b.counts).toEqual(a.counts);
    expect(b.flagged.map((i) => `${i.uid} ${i.verdict}`)).toEqual(a.flagged.map((i) => `${i.uid} ${i.verdict}`));
    expect(b.bytesFetched).toBeLessThan(a.bytesFetched);
  });
});
