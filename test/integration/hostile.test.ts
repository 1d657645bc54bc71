// Hostile and broken mail in a real mailbox, through the whole scan: a bounce nested 150
// multiparts deep (deeper than Dovecot describes, so imapflow has no BODYSTRUCTURE for it), a
// 300-deep nesting, a truncated bounce, NUL bytes, a 100,000-character header line, a bogus
// charset and a 20 MB attachment, among ordinary backscatter. The scan finishes; the nested
// backscatter is still recognised and moved with the rest; what cannot be read is said in words;
// and the 20 MB message costs no more than its capped parts.
import { describe, expect, it } from "vitest";
import { nestedMultipart, bigAttachment } from "../bench/hostile.js";
import { writeMaildir } from "../harness/dovecot.js";
import { liveEngine } from "../harness/engine.js";
import { liveIds, seed } from "../harness/imap.js";
import { dsnBounce, scenario } from "../harness/mailbox.js";

const messages = scenario(2);

/** A DSN for a forged message, its report wrapped in `depth` multipart/mixed levels. */
function deepBounce(depth: number): string {
  const raw = dsnBounce("deep-bs@mx.remote.example", "forged-deep@spam.example", "victim@target.example", "Cheap pills", 900);
  const split = raw.indexOf("\r\n\r\n");
  const header = raw
    .slice(0, split)
    .replace(/^Content-Type:.*$/m, "")
    .replace(/\r\n\r\n/g, "\r\n");
  let body = `Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n${raw.slice(split + 4)}`;
  for (let i = depth; i > 0; i--) body = `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\n${body}\r\n--n${i}--\r\n`;
  return `${header.trimEnd()}\r\n${body}`;
}

const bounce = (id: string): string => dsnBounce(id, `forged-${id}`, "victim@target.example", "Cheap pills", 950);
const hostile: Record<string, string> = {
  "300-deep nesting": nestedMultipart(300).toString("latin1"),
  "truncated bounce": bounce("cut@mx.remote.example").slice(0, 900),
  "NUL bytes": bounce("nul@mx.remote.example").replace(/User unknown/g, "User\u0000unknown\u0000"),
  "100k-character header line": bounce("long@mx.remote.example").replace("Subject:", `X-Junk: ${"y".repeat(100_000)}\r\nSubject:`),
  "bogus charset": bounce("charset@mx.remote.example").replace("Content-Type: text/plain", 'Content-Type: text/plain; charset="x-no-such-charset"'),
  "20 MB attachment": bigAttachment(20 * 1024 * 1024).toString("latin1"),
};

const live = liveEngine(async (d) => {
  await seed(d, messages);
  writeMaildir(d, "INBOX", [deepBounce(150), ...Object.values(hostile)]);
});

describe("hostile mail in the inbox, through the whole scan", () => {
  it(
    "finishes, recognises the 150-deep backscatter without BODYSTRUCTURE, says in words what it cannot read, reads only capped parts",
    { timeout: 120_000 },
    async () => {
      const { engine, accountId, d } = live;
      const r = await engine.scan({ accountId, apply: true });
      for (const e of r.errors) {
        expect(e.error).toMatch(/^[A-Z].*[a-z]/);
        expect(e.error).not.toMatch(/\n\s+at /); // no stack traces
      }
      const moving = [...messages.filter((m) => m.expect === "move").map((m) => m.messageId), "deep-bs@mx.remote.example"].sort();
      expect((await liveIds(d, "Backscatter")).filter((id) => moving.includes(id))).toEqual(moving);
      expect(await liveIds(d, "INBOX")).toEqual(
        expect.arrayContaining(messages.filter((m) => m.folder === "INBOX" && m.expect === "stay").map((m) => m.messageId)),
      );
      const deep = (await engine.review({ accountId })).find((i) => i.messageId === "deep-bs@mx.remote.example");
      expect(deep).toMatchObject({ verdict: "backscatter", originalMessageIds: ["forged-deep@spam.example"], state: "moved" });
      // The 20 MB message alone would be 20 MB; the whole scan reads a small fraction of that.
      expect(r.bytesFetched).toBeLessThan(2 * 1024 * 1024);
      expect(r.scanned).toBe(messages.filter((m) => m.folder === "INBOX").length + 1 + Object.keys(hostile).length);
    },
  );
});
