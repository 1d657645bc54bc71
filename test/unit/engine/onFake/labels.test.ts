// Gmail on the in-memory server with X-GM-EXT-1: the labels are recorded before a move, and an
// undo gives back those the message lost on the way, but never the destination's; a message seen
// under two scanned labels (X-GM-MSGID) is one item, moved once. Without X-GM-EXT-1 nothing of it is asked.
import { describe, expect, it } from "vitest";
import { labelsToRestore } from "../../../../electron/engine/move/labels.js";
import { fakeEngines, type FakeSetup } from "../../../harness/fakeEngine.js";
import { FakeImapServer, messageIdOf } from "../../../harness/fakeImap.js";
import { expectedOf, scenario } from "../../../harness/mailbox.js";

const setup = fakeEngines();
const messages = scenario(2);
const { moving } = expectedOf(messages);
const GMAIL = ["MOVE", "UIDPLUS", "SPECIAL-USE", "IDLE", "X-GM-EXT-1"];

/** Every message's labels in `folder`, by Message-ID. */
const labelsIn = (s: FakeSetup, folder: string): Map<string, string[]> =>
  new Map((s.server.folders.get(folder)?.messages ?? []).map((m) => [messageIdOf(m.raw), [...(m.labels ?? [])].sort()]));

async function gmail(dropLabelsOnMove: boolean): Promise<FakeSetup> {
  const s = await setup(messages, {}, new FakeImapServer(new Set(GMAIL)));
  s.server.addFolder("Backscatter");
  for (const m of s.server.folders.get("INBOX")?.messages ?? []) m.labels = new Set(["\\Inbox", "Work", "\\Important"]);
  s.server.behaviour.dropLabelsOnMove = dropLabelsOnMove;
  return s;
}

describe("Gmail labels", () => {
  it("gives back what was lost, never the destination's own label, case aside", () => {
    expect(labelsToRestore(["\\Inbox", "Work", "\\Important"], ["\\Inbox"], "Backscatter")).toEqual(["Work", "\\Important"]);
    expect(labelsToRestore(["\\Inbox", "Work", "Backscatter"], ["\\Inbox", "work"], "backscatter")).toEqual([]);
    expect(labelsToRestore([], ["\\Inbox"], "Backscatter")).toEqual([]);
  });

  it("records the labels before moving, and an undo gives back those a move lost", async () => {
    const s = await gmail(true);
    await s.engine.scan({ accountId: s.accountId, apply: true });
    expect(s.server.liveIds("Backscatter")).toEqual(moving);
    for (const id of moving) expect(labelsIn(s, "Backscatter").get(id)).toEqual(["Backscatter"]);
    const moved = s.engine.store.items(s.accountId).filter((i) => i.state === "moved");
    for (const i of moved) expect(s.engine.store.itemLabels(i.id)).toEqual(["\\Inbox", "Work", "\\Important"]);
    const undone = await s.engine.undo({ accountId: s.accountId });
    expect(undone.failed).toEqual([]);
    for (const id of moving) expect(labelsIn(s, "INBOX").get(id)).toEqual(["Work", "\\Important", "\\Inbox"].sort());
    expect(s.server.commands.filter((c) => c.startsWith("STORE +X-GM-LABELS")).length).toBeGreaterThan(0);
  });

  it("sends nothing more where Gmail kept the labels itself, and asks none of a server without X-GM-EXT-1", async () => {
    const s = await gmail(false);
    await s.engine.scan({ accountId: s.accountId, apply: true });
    for (const id of moving) expect(labelsIn(s, "Backscatter").get(id)).toEqual(["Backscatter", "Work", "\\Important"].sort());
    await s.engine.undo({ accountId: s.accountId });
    for (const id of moving) expect(labelsIn(s, "INBOX").get(id)).toEqual(["Work", "\\Important", "\\Inbox"].sort());
    expect(s.server.commands.filter((c) => c.startsWith("STORE +X-GM-LABELS"))).toEqual([]);

    const plain = await setup(messages);
    await plain.engine.scan({ accountId: plain.accountId, apply: true });
    await plain.engine.undo({ accountId: plain.accountId });
    expect(plain.server.commands.filter((c) => c.includes("X-GM-LABELS"))).toEqual([]);
  });

  it("counts a message under two scanned labels once (X-GM-MSGID), and moves it once", async () => {
    const s = await setup(messages, {}, new FakeImapServer(new Set(GMAIL)));
    const work = s.server.addFolder("Work");
    const inbox = s.server.folders.get("INBOX")?.messages ?? [];
    inbox.forEach((m, i) => (m.gmailId = String(1_700_000_000 + i)));
    // The same messages carry the label Work too.
    for (const m of inbox) work.messages.push({ ...m, uid: work.uidNext++, flags: new Set() });
    await s.engine.accountUpdate({ accountId: s.accountId, changes: { scanFolders: ["INBOX", "Work"] } });
    const r = await s.engine.scan({ accountId: s.accountId, apply: true });
    expect(r.errors).toEqual([]);
    const items = s.engine.store.items(s.accountId);
    expect(items.filter((i) => i.folder === "Work")).toEqual([]);
    expect(r.moved).toBe(moving.length);
    expect(s.server.liveIds("Backscatter")).toEqual(moving);
    expect(s.server.commands.filter((c) => c.startsWith("FETCH X-GM-MSGID")).length).toBeGreaterThan(0);
  });
});
