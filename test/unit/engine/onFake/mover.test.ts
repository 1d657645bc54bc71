// The mover on the in-memory IMAP server: another program expunging a message between our
// check and our MOVE, a MOVE that moves only part of a set, a MOVE without COPYUID, the
// COPY fallback with and without UIDPLUS, and a crash at each journal step settled by the next run.
import { describe, expect, it } from "vitest";
import type { FaultPoint } from "../../../../electron/engine/move/journal.js";
import { FakeImapServer } from "../../../harness/fakeImap.js";
import type { fakeEngine } from "../../../harness/fakeEngine.js";
import { fakeEngines, type FakeSetup } from "../../../harness/fakeEngine.js";
import { expectedOf, scenario, USERS_OWN_DELETED } from "../../../harness/mailbox.js";

const messages = [...scenario(3), USERS_OWN_DELETED];
const { moving, staying } = expectedOf(messages);
const setup = fakeEngines();

async function scanned(server = new FakeImapServer(), deps: Parameters<typeof fakeEngine>[1] = {}): Promise<FakeSetup> {
  const s = await setup(messages, deps, server);
  await s.engine.scan({ accountId: s.accountId });
  return s;
}

/** Every message is in exactly one place, none lost, none doubled. */
function exactlyOnce(s: FakeSetup): void {
  const everywhere = [...s.server.liveIds("INBOX"), ...s.server.liveIds("Backscatter")].sort();
  expect(everywhere).toEqual([...moving, ...staying.filter((id) => id !== USERS_OWN_DELETED.messageId)].sort());
}

describe("the mover", () => {
  it("moves the rest, and says so, when another program expunges one between our check and our MOVE", async () => {
    const s = await scanned();
    const victim = moving[0] ?? "";
    s.server.behaviour.before = (verb) => {
      if (verb !== "MOVE") return;
      s.server.behaviour.before = undefined;
      const inbox = s.server.folders.get("INBOX");
      if (inbox) inbox.messages = inbox.messages.filter((m) => !m.raw.includes(`<${victim}>`));
    };
    const r = await s.engine.move({ accountId: s.accountId });
    expect(r.moved).toBe(moving.length - 1);
    expect(r.failed.map((f) => f.error)).toEqual([expect.stringMatching(/another mail program moved or deleted it/)]);
    expect(s.server.liveIds("Backscatter")).toEqual(moving.filter((id) => id !== victim));
  });

  it("finds out which messages a MOVE that moved only part of the set left, and moves them on the next run", async () => {
    const s = await scanned();
    s.server.behaviour.move = "half";
    const first = await s.engine.move({ accountId: s.accountId });
    expect(first.moved).toBe(Math.ceil(moving.length / 2));
    expect(first.failed.every((f) => /did not move it/.test(f.error))).toBe(true);
    exactlyOnce(s);
    s.server.behaviour.move = "all";
    const second = await s.engine.move({ accountId: s.accountId });
    expect(second.moved).toBe(moving.length - first.moved);
    expect(s.server.liveIds("Backscatter")).toEqual(moving);
  });

  it("verifies by Message-ID a MOVE the server answers without COPYUID, and can undo it", async () => {
    const s = await scanned();
    s.server.behaviour.move = "no-uids";
    const r = await s.engine.move({ accountId: s.accountId });
    expect(r.moved).toBe(moving.length);
    expect(s.engine.store.itemsWithState(s.accountId, "moved").every((i) => i.destUid !== null)).toBe(true);
    const undone = await s.engine.undo({ accountId: s.accountId });
    expect(undone.restored).toBe(moving.length);
    expect(s.server.liveIds("Backscatter")).toEqual([]);
  });

  it.each([
    ["COPY, \\Deleted and UID EXPUNGE of exactly ours", ["UIDPLUS", "SPECIAL-USE"], false],
    ["COPY and \\Deleted, the originals left flagged (no UIDPLUS)", ["SPECIAL-USE"], true],
  ])("without MOVE: %s, and the user's own \\Deleted mail untouched", async (_what, capabilities, flaggedLeft) => {
    const s = await scanned(new FakeImapServer(new Set(capabilities)));
    const r = await s.engine.move({ accountId: s.accountId });
    expect(r.moved).toBe(moving.length);
    expect(s.server.liveIds("Backscatter")).toEqual(moving);
    const inbox = s.server.folders.get("INBOX")?.messages ?? [];
    expect(inbox.some((m) => m.raw.includes(USERS_OWN_DELETED.messageId))).toBe(true);
    expect(inbox.filter((m) => m.flags.has("\\Deleted")).length).toBe(flaggedLeft ? moving.length + 1 : 1);
    if (flaggedLeft) expect(r.warnings.join(" ")).toMatch(/lacks UIDPLUS/);
    expect(s.server.commands.some((c) => c.startsWith("MOVE"))).toBe(false);
  });

  it.each<FaultPoint>(["planned", "moving", "commanded"])("settles a crash at %s on the next run: every message exactly once", async (point) => {
    let armed = true;
    const s = await scanned(new FakeImapServer(), {
      fault: (at) => {
        if (armed && at === point) {
          armed = false;
          throw new Error(`crash at ${at}`);
        }
      },
    });
    await expect(s.engine.move({ accountId: s.accountId })).rejects.toThrow(/crash at/);
    const again = await s.engine.move({ accountId: s.accountId });
    expect(again.failed).toEqual([]);
    expect(s.server.liveIds("Backscatter")).toEqual(moving);
    exactlyOnce(s);
    expect(s.engine.store.openJournal(s.accountId)).toEqual([]);
  });
});
