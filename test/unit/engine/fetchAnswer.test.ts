// FETCH commands as tokens and answers read back, with imapflow's own compiler and parser on
// either side, as on the wire. (Every item against Dovecot and imapflow's fetch(): test/integration/fetchAnswers.test.ts.)
import compiler from "imapflow/lib/handler/imap-compiler.js";
import parser from "imapflow/lib/handler/imap-parser.js";
import type { ImapAttributeList } from "imapflow/lib/handler/types.js";
import { parseBodystructure, parseEnvelope } from "imapflow/lib/tools.js";
import { describe, expect, it } from "vitest";
import { envelopeOf, fetchCommand, mergeAnswers, readFetchAnswer, structureOf } from "../../../electron/engine/imap/fetchAnswer.js";

const wire = (attributes: ImapAttributeList): string => compiler({ tag: "A1", command: "UID FETCH", attributes }).toString();
const answer = async (line: string, literals: string[] = []) =>
  readFetchAnswer((await parser(Buffer.from(line), { literals: literals.map((l) => Buffer.from(l)) })).attributes);

describe("fetchCommand", () => {
  it("asks for the UID first, then each item; sections with BODY.PEEK, their fields and their byte range", () => {
    expect(wire(fetchCommand("3:7,9", ["ENVELOPE", "BODYSTRUCTURE"]))).toBe("A1 UID FETCH 3:7,9 (UID ENVELOPE BODYSTRUCTURE)");
    expect(
      wire(
        fetchCommand("5", [
          { section: "1", start: 1024, maxBytes: 4096 },
          { section: "2.header", maxBytes: 300 },
          { section: "HEADER.FIELDS", fields: ["Auto-Submitted", "precedence"] },
        ]),
      ),
    ).toBe("A1 UID FETCH 5 (UID BODY.PEEK[1]<1024.4096> BODY.PEEK[2.HEADER]<0.300> BODY.PEEK[HEADER.FIELDS (AUTO-SUBMITTED PRECEDENCE)])");
    expect(wire(fetchCommand("5", [{ section: "", start: 0, maxBytes: 500 }, "RFC822.SIZE", "UID"]))).toBe(
      "A1 UID FETCH 5 (UID BODY.PEEK[]<0.500> RFC822.SIZE)",
    );
  });
});

describe("readFetchAnswer", () => {
  it("reads the UID, flags, size, and each section whether a literal, a quoted string or NIL", async () => {
    const a = await answer(
      '* 3 FETCH (UID 17 FLAGS (\\Seen $Junk) RFC822.SIZE 4711 BODY[1]<1024> {5}\r\n BODY[HEADER.FIELDS (AUTO-SUBMITTED)] "Auto-Submitted: no" BODY[1.HEADER] NIL BODY[] "x")',
      ["hello"],
    );
    expect(a).toMatchObject({ uid: 17, flags: new Set(["\\Seen", "$Junk"]), size: 4711, envelope: null, structure: undefined });
    expect(Object.fromEntries([...(a?.sections ?? [])].map(([k, v]) => [k, v.toString()]))).toEqual({
      "1": "hello",
      "HEADER.FIELDS": "Auto-Submitted: no",
      "": "x",
    });
  });

  it("leaves out an answer without a UID (a flag update the server volunteers) or with a nonsensical one", async () => {
    expect(await answer("* 3 FETCH (FLAGS (\\Seen))")).toBeNull();
    expect(await answer("* 3 FETCH (UID 0 FLAGS (\\Seen))")).toBeNull();
    expect(await answer("* 3 FETCH (UID 12345678901 FLAGS ())")).toBeNull();
  });

  it("reads the envelope and structure as imapflow does", async () => {
    const a = await answer(
      '* 1 FETCH (UID 4 ENVELOPE ("Mon, 09 Nov 2026 08:00:00 +0000" "Hi" (("Al" NIL "al" "example.org")) NIL NIL NIL NIL NIL NIL "<m@x>") BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 12 1 NIL NIL NIL NIL))',
    );
    expect(a?.envelope).toEqual({
      date: new Date("2026-11-09T08:00:00Z"),
      subject: "Hi",
      from: [{ name: "Al", address: "al@example.org" }],
      messageId: "<m@x>",
    });
    expect(a?.structure).toMatchObject({ type: "text/plain", parameters: { charset: "us-ascii" }, encoding: "7bit", size: 12 });
  });

  it("merges a second answer for the same message into the first", async () => {
    const first = await answer("* 1 FETCH (UID 4 FLAGS ())");
    const second = await answer('* 1 FETCH (UID 4 RFC822.SIZE 99 BODY[1] "abc")');
    if (!first || !second) throw new Error("both answers carry a UID");
    mergeAnswers(first, second);
    expect(first).toMatchObject({ uid: 4, flags: new Set(), size: 99 });
    expect(first.sections.get("1")?.toString()).toBe("abc");
  });
});

describe("envelopeOf", () => {
  const envelopes = [
    '("Mon, 09 Nov 2026 08:00:00 +0000" "=?UTF-8?Q?caf=C3=A9?=" (("=?ISO-8859-1?Q?J=F6rg?=" NIL "j" "example.de")) NIL NIL NIL NIL NIL NIL NIL)',
    '("garbage" "\\"quoted\\"" (("\\"Bob\\"" NIL "bob" "example.org")) NIL NIL ((NIL NIL "Team" NIL)("A" NIL "a" "example.org")(NIL NIL NIL NIL)) NIL NIL "  <r@x>  " " <m@x> ")',
    "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
    '(NIL "x" ((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) (NIL) NIL NIL NIL NIL NIL NIL)',
    // imapflow's decoder drops its own join marker even where no encoded word is: the NUL sends it there.
    "(NIL {11}\r\n NIL NIL NIL NIL NIL NIL NIL NIL)",
  ];
  it.each(envelopes)("gives what imapflow's parseEnvelope gives: %s", async (env) => {
    const parsed = await parser(Buffer.from(`* 1 FETCH (ENVELOPE ${env})`), { literals: [Buffer.from("__\0JOIN\0__")] });
    const pairs = parsed.attributes?.[1];
    const entry = Array.isArray(pairs) ? pairs[1] : null;
    if (!Array.isArray(entry)) throw new Error("an envelope is a list");
    expect(envelopeOf(entry)).toEqual(parseEnvelope(entry));
  });
});

describe("structureOf", () => {
  const ENV =
    '("Mon, 09 Nov 2026 08:00:00 +0000" "Hi" (("Al" NIL "al" "example.org")) NIL NIL (("Bob" NIL "bob" "remote.example")) NIL NIL NIL "<orig@example.org>")';
  // [structure, read directly (true) or left to imapflow (false)]
  const structures: [string, boolean][] = [
    ['("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 12 1 NIL NIL NIL NIL)', true],
    ['("TEXT" "PLAIN" NIL NIL NIL "7BIT" 12 1)', true],
    // A bounce: prose, a status part and the original, whose own structure is multipart.
    [
      `(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL "Notification" "QUOTED-PRINTABLE" 500 12 NIL NIL NIL NIL)("MESSAGE" "DELIVERY-STATUS" NIL NIL NIL "7BIT" 300 NIL NIL NIL NIL)("MESSAGE" "RFC822" ("NAME" "orig.eml") "<cid@x>" NIL "7BIT" 2000 ${ENV} (("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "BASE64" 40 1 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "b2") NIL NIL NIL) 60 NIL ("ATTACHMENT" ("FILENAME" "orig.eml")) NIL NIL) "REPORT" ("REPORT-TYPE" "delivery-status" "BOUNDARY" "b1") NIL ("EN" "DE") "http://x")`,
      true,
    ],
    // A message/rfc822 at the top, one without an envelope, an 11-item text part, extension data.
    [`("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 99 ${ENV} ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 5 1 NIL NIL NIL NIL) 3 "ABCDEF" ("INLINE" NIL) "EN" NIL)`, true],
    ['("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 99 NIL NIL NIL)', true],
    // Only parameter values are decoded: an encoded word elsewhere is read as it is, and an
    // encapsulated envelope decodes its own (through imapflow's envelope parser).
    ['("TEXT" "PLAIN" NIL NIL "=?utf-8?Q?caf=C3=A9?=" "7BIT" 12 1 NIL NIL NIL NIL)', true],
    [`("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 99 ${ENV.replace('"Hi"', '"=?utf-8?Q?caf=C3=A9?="')} ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 5 1) 3)`, true],
    ['("TEXT" "PLAIN" NIL NIL NIL "7BIT" 12 NIL ("ATTACHMENT" ("FILENAME" "a.txt")) NIL NIL)', true],
    ['("APPLICATION" "OCTET-STREAM" ("NAME" "x.bin") NIL NIL "BASE64" 100 NIL ("attachment" NIL) NIL NIL)', true],
    // Decoding, RFC 2231, a repaired filename and unsafe keys: imapflow's parser.
    ['("TEXT" "PLAIN" ("NAME" "=?utf-8?Q?caf=C3=A9?=") NIL NIL "7BIT" 12 1 NIL NIL NIL NIL)', false],
    ['("APPLICATION" "PDF" NIL NIL NIL "BASE64" 100 NIL ("ATTACHMENT" ("FILENAME*" "utf-8\'\'caf%C3%A9.pdf")) NIL NIL)', false],
    ['("APPLICATION" "PDF" NIL NIL NIL "BASE64" 100 NIL ("ATTACHMENT" ("FILENAME*0" "a" "FILENAME*1" "b.pdf")) NIL NIL)', false],
    ['("APPLICATION" "PDF" NIL NIL NIL "BASE64" 100 NIL ("ATTACHMENT" ("FILENAME" "utf-8\'\'caf%C3%A9.pdf")) NIL NIL)', false],
    ['("TEXT" "PLAIN" ("__PROTO__" "x" "CHARSET" "utf-8") NIL NIL "7BIT" 12 1 NIL NIL NIL NIL)', false],
    // Off the grammar: a size that is not a number, a parameter list that is a string.
    ['("TEXT" "PLAIN" NIL NIL NIL "7BIT" (1) 1 NIL NIL NIL NIL)', false],
    ['("TEXT" "PLAIN" NIL NIL NIL "7BIT" 12 ("ATTACHMENT" ("FILENAME" "a.txt")) NIL NIL NIL)', false],
    ['("TEXT" "PLAIN" "CHARSET" NIL NIL "7BIT" 12 1 NIL NIL NIL NIL)', false],
  ];
  it.each(structures)("gives what imapflow's parseBodystructure gives: %s", async (structure, direct) => {
    const parsed = await parser(Buffer.from(`* 1 FETCH (BODYSTRUCTURE ${structure})`));
    const pairs = parsed.attributes?.[1];
    const entry = Array.isArray(pairs) ? pairs[1] : null;
    if (!Array.isArray(entry)) throw new Error("a structure is a list");
    let leftToImapflow = 0;
    const ours = structureOf(entry, (e) => {
      leftToImapflow++;
      return parseBodystructure(e);
    });
    expect(ours).toEqual(parseBodystructure(entry));
    expect(leftToImapflow).toBe(direct ? 0 : 1);
  });
});
