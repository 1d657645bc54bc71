// Moves in few, large commands, each line within the 8,192 octets RFC 7162 asks servers to accept:
// a Dovecot that refuses longer lines still gets every scattered backscatter message moved and back.
import { describe, expect, it } from "vitest";
import { BATCH } from "../../electron/engine/move/journal.js";
import { writeMaildir } from "../harness/dovecot.js";
import { liveEngine } from "../harness/engine.js";
import { liveIds } from "../harness/imap.js";
import { dsnBounce } from "../harness/mailbox.js";

const COUNT = 4200;
const ordinary = (i: number): string =>
  `Message-ID: <ord-${i}@remote.example>\r\nDate: Mon, 09 Nov 2026 08:00:00 +0000\r\nFrom: Bob <bob@remote.example>\r\nTo: alice@example.org\r\nSubject: Lunch ${i}\r\n\r\nHi.\r\n`;
// Every other message is backscatter, so the UIDs to move never form a run: 2,100 of them make a set of about 10 KB.
const messages = Array.from({ length: COUNT }, (_, i) =>
  i % 2 === 0 ? dsnBounce(`bs-${i}@mx.remote.example`, `forged-${i}@spam.example`, `victim${i}@target.example`, "Cheap watches", i) : ordinary(i),
);
// Sent mail older than every original, so the forged ones are backscatter rather than unverifiable.
const sent =
  "Message-ID: <sent-1@example.org>\r\nDate: Wed, 30 Sep 2026 08:00:00 +0000\r\nFrom: Alice <alice@example.org>\r\nTo: bob@remote.example\r\nSubject: Plans\r\n\r\nHello.\r\n";
const live = liveEngine(
  async (d) => {
    writeMaildir(d, "Sent", [sent]);
    writeMaildir(d, "INBOX", messages);
  },
  { maxLineLength: 8192 },
);

describe("a move of thousands of scattered messages on a server that takes command lines of 8 KB", () => {
  it("moves every backscatter message in a few commands, and undo brings all back", { timeout: 120_000 }, async () => {
    const { engine, accountId, d } = live;
    expect(COUNT / 2).toBeGreaterThan(BATCH);
    const applied = await engine.scan({ accountId, apply: true });
    expect(applied.errors).toEqual([]);
    expect(applied.moved).toBe(COUNT / 2);
    const moved = await liveIds(d, "Backscatter");
    expect(moved).toHaveLength(COUNT / 2);
    expect(moved.every((id) => id.startsWith("bs-"))).toBe(true);
    expect((await liveIds(d, "INBOX")).every((id) => id.startsWith("ord-"))).toBe(true);
    const undone = await engine.undo({ accountId, all: true });
    expect(undone.failed).toEqual([]);
    expect(await liveIds(d, "INBOX")).toHaveLength(COUNT);
    expect(await liveIds(d, "Backscatter")).toEqual([]);
  });
});
