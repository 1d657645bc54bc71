// The session reads FETCH answers itself (fetchLine.ts tokenizes, fetchAnswer.ts reads) instead of
// through imapflow's fetch(). Against a real Dovecot holding the whole corpus and a few awkward
// headers, every item must be exactly what imapflow's fetch() gives for the same message.
import type { FetchMessageObject, ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMessageFiles, readMessages } from "../../electron/engine/cli/files.js";
import { ImapSession } from "../../electron/engine/imap/session.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { plainAccount } from "../harness/engine.js";
import { withClient } from "../harness/imap.js";
import { SISIMAI } from "../harness/paths.js";

/** Headers whose envelope imapflow decodes or reshapes: encoded words, group syntax, quoted names, a bad date. */
const awkward = [
  ["Subject: =?UTF-8?B?w5xiZXJtaXR0bHVuZw==?= =?UTF-8?B?c3N0YXR1cw==?=", 'From: "=?ISO-8859-1?Q?J=F6rg?=" <jorg@example.de>'],
  ["Subject: plain", "From: undisclosed-recipients:;", "To: Team: a@example.org, b@example.org;", 'Cc: "\\"Quoted\\" Name" <q@example.org>'],
  ["Subject: =?utf-8?q?caf=C3=A9?= and more", "From: <>", "Date: not a date at all"],
  ['Subject: "in quotes"', 'From: "Bob" <bob@example.org>', "Sender: MAILER-DAEMON", "In-Reply-To:   <x@y>  "],
].map((lines, i) => Buffer.from([`Message-ID: <awkward-${i}@example.org>`, "Date: Mon, 09 Nov 2026 08:00:00 +0000", ...lines, "", "Body.", ""].join("\r\n")));

let d: Dovecot;
let session: ImapSession;

beforeAll(async () => {
  d = await startDovecot();
  const messages: Buffer[] = [...awkward];
  // Every message but the corpus's one empty file (Dovecot will not store zero bytes).
  for (const file of await listMessageFiles(SISIMAI, SISIMAI)) messages.push(...(await readMessages(file.path)).filter((m) => m.length > 0));
  await withClient(d, async (c) => {
    for (const raw of messages) if (!(await c.append("INBOX", raw, ["\\Seen"]))) throw new Error("APPEND failed");
  });
  const account = plainAccount(d, { name: "t" });
  session = await ImapSession.open({ account, secret: d.users["alice@example.org"] ?? "" });
}, 120_000);

afterAll(async () => {
  await session?.close();
  await d?.stop();
});

/** imapflow's own fetch() of the same items, in the same folder, on a second connection. */
async function theirs(query: Parameters<ImapFlow["fetch"]>[1], range = "1:*"): Promise<FetchMessageObject[]> {
  return withClient(d, async (c) => {
    const lock = await c.getMailboxLock("INBOX");
    try {
      const out: FetchMessageObject[] = [];
      for await (const m of c.fetch(range, query, { uid: true })) out.push(m);
      return out;
    } finally {
      lock.release();
    }
  });
}

describe("FETCH answers read by the session", () => {
  it("gives every corpus message the envelope and structure imapflow's fetch() gives", async () => {
    const expected = await theirs({ uid: true, envelope: true, bodyStructure: true });
    const readFast = session.fetchLines.fast;
    const rows = await session.inFolder("INBOX", () => session.triageRows("1:*"));
    expect(rows.length).toBeGreaterThan(700);
    // Every answer line went through fetchLine.ts's reader, not imapflow's parser.
    expect(session.fetchLines.fast - readFast).toBe(rows.length);
    expect(rows.map((r) => r.uid)).toEqual(expected.map((m) => m.uid));
    for (const [i, row] of rows.entries()) {
      expect(row.envelope, `uid ${row.uid}`).toEqual(expected[i]?.envelope);
      expect(row.structure, `uid ${row.uid}`).toEqual(expected[i]?.bodyStructure);
    }
    // The awkward ones really went through the decoder.
    expect(rows[0]?.envelope.subject).toBe("Übermittlungsstatus");
    expect(rows[0]?.envelope.from).toEqual([{ name: "Jörg", address: "jorg@example.de" }]);
    expect(rows[1]?.envelope.from).toEqual([{ name: "undisclosed-recipients", address: "" }]);
    expect(rows[2]?.envelope.date).toBe("not a date at all");
  });

  it("reads flags, sizes, sections from an offset, header fields and a message's first bytes as imapflow does", async () => {
    const some = "1:12";
    const expected = await theirs(
      {
        uid: true,
        flags: true,
        size: true,
        envelope: true,
        headers: ["Auto-Submitted", "Content-Type"],
        bodyParts: [
          { key: "1", start: 40, maxLength: 300 },
          { key: "1.HEADER", start: 0, maxLength: 200 },
        ],
      },
      some,
    );
    await session.inFolder("INBOX", async () => {
      const envelopes = await session.envelopes(some);
      expect(envelopes.map((e) => [e.uid, e.messageId, [...e.flags]])).toEqual(
        expected.map((m) => [m.uid, m.envelope?.messageId ?? null, [...(m.flags ?? [])]]),
      );
      const uids = expected.map((m) => m.uid);
      const fields = await session.headerFields(uids, ["Auto-Submitted", "Content-Type"]);
      const sections = await session.sections(
        uids,
        [
          { part: "1", section: "body", start: 40, maxBytes: 300 },
          { part: "1", section: "header", maxBytes: 200 },
        ],
        ["Auto-Submitted", "Content-Type"],
      );
      for (const m of expected) {
        expect(fields.get(m.uid)?.toString("latin1"), `uid ${m.uid}`).toBe(m.headers?.toString("latin1"));
        const got = sections.get(m.uid);
        expect(got?.parts.get("1")?.toString("latin1"), `uid ${m.uid}`).toBe(m.bodyParts?.get("1")?.toString("latin1"));
        expect(got?.parts.get("1.header")?.toString("latin1") ?? "", `uid ${m.uid}`).toBe(m.bodyParts?.get("1.header")?.toString("latin1") ?? "");
        expect(got?.fields?.toString("latin1")).toBe(m.headers?.toString("latin1"));
      }
      const first = expected.find((m) => (m.size ?? 0) > 1000);
      const source = (await theirs({ uid: true, source: { start: 0, maxLength: 500 } }, String(first?.uid)))[0]?.source;
      expect((await session.prefix(first?.uid ?? 0, 500)).toString("latin1")).toBe(source?.toString("latin1"));
      expect(source?.length).toBe(500);
    });
    const sizes = await theirs({ uid: true, size: true });
    expect(await session.inFolder("INBOX", () => session.folderBytes())).toBe(sizes.reduce((n, m) => n + (m.size ?? 0), 0));
  });
});
