// The fast FETCH line reader against imapflow's parser: every line it reads, it must read exactly
// as imapflow does; every line outside its plain grammar, it must leave to imapflow (null).
// (The whole corpus through a real Dovecot: test/integration/fetchAnswers.test.ts.)
import parser from "imapflow/lib/handler/imap-parser.js";
import { describe, expect, it } from "vitest";
import { readFetchLine } from "../../../electron/engine/imap/fetchLine.js";

/** A line as imapflow's stream framer hands it over: `{n}` CRLF stays, the literal's bytes go aside. */
function framed(line: string, literals: string[] = []): { payload: Buffer; literals: Buffer[] } {
  return { payload: Buffer.from(line, "latin1"), literals: literals.map((l) => Buffer.from(l, "latin1")) };
}

async function imapflowReads(line: string, literals: string[] = []): Promise<unknown> {
  const f = framed(line, literals);
  return parser(f.payload, { literals: f.literals });
}

const plainLines: [string, string, string[]][] = [
  [
    "ENVELOPE and BODYSTRUCTURE of a bounce",
    '* 3 FETCH (UID 3 ENVELOPE ("Tue, 24 Mar 2026 12:28:10 +0000" "Mail delivery failed" (("Mail Delivery System" NIL "Mailer-Daemon" "exim.example")) NIL NIL ((NIL NIL "alice" "example.org")) NIL NIL NIL "<i2.evn7f7@in.example>") BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 7938 21 NIL NIL NIL NIL))',
    [],
  ],
  [
    "a multipart: lists that follow lists directly, a message/rfc822 part",
    '* 12 FETCH (UID 7 BODYSTRUCTURE (("text" "plain" NIL NIL NIL "7bit" 1 1 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 5 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ("text" "plain" NIL NIL NIL "7bit" 1 1) 2 NIL NIL NIL NIL) "report" ("report-type" "delivery-status" "boundary" "x") NIL NIL NIL))',
    [],
  ],
  [
    "literals in the envelope, {0} included",
    '* 23 FETCH (UID 23 ENVELOPE ("Sat, 04 Apr 2026" {13}\r\n (({6}\r\n NIL "p" "r.example")) NIL NIL NIL NIL NIL NIL {0}\r\n "<i22@in.example>"))',
    ['question "144', "Chlo\xc3\xa9", ""],
  ],
  ["escapes in quoted strings", '* 1 FETCH (UID 1 ENVELOPE (NIL "say \\"hi\\" \\\\ back" NIL NIL NIL NIL NIL NIL NIL NIL))', []],
  [
    "UTF-8 and invalid 8-bit bytes in quoted strings",
    '* 1 FETCH (UID 1 ENVELOPE (NIL "\xc3\x9cbermittlung \xff\xfe" NIL NIL NIL NIL NIL NIL NIL "<\xe9@x>"))',
    [],
  ],
  [
    "flags, size, lower-case nil and keywords",
    "* 9 FETCH (UID 9 FLAGS (\\Seen \\Deleted $Junk NonJunk) RFC822.SIZE 5123 MODSEQ (12345) X-LIST () ENVELOPE (nil nil nil nil nil nil nil nil nil nil))",
    [],
  ],
  [
    "sections, header fields and origins",
    '* 4 FETCH (UID 4 BODY[HEADER.FIELDS (MESSAGE-ID SUBJECT)] {5}\r\n BODY[1.HEADER] NIL BODY[2]<0> "q\\"x" BODY[]<1024> {3}\r\n BODY[3.MIME] "")',
    ["hello", "abc"],
  ],
  ["an empty section and an empty list", "* 5 FETCH (UID 5 BODY[] NIL FLAGS ())", []],
  ["lower-case fetch and body", '* 6 fetch (uid 6 body[text] "x")', []],
];

describe("readFetchLine", () => {
  for (const [what, line, literals] of plainLines) {
    it(`reads ${what} exactly as imapflow's parser does`, async () => {
      const f = framed(line, literals);
      const ours = readFetchLine(f.payload, f.literals);
      expect(ours).not.toBeNull();
      expect(ours).toEqual(await imapflowReads(line, literals));
    });
  }

  it("hands over the literal's own bytes, not a copy or a string", () => {
    const f = framed("* 4 FETCH (UID 4 BODY[1] {5}\r\n)", ["hello"]);
    const item = readFetchLine(f.payload, f.literals)?.attributes?.[1];
    expect(Array.isArray(item) && item[3]).toEqual({ type: "LITERAL", value: f.literals[0] });
    expect(Array.isArray(item) && item[3] && !Array.isArray(item[3]) && item[3].value).toBe(f.literals[0]);
  });

  const leftToImapflow: [string, string, string[]][] = [
    ["a status line", "* 733 EXISTS", []],
    ["a tagged completion", "A3 OK Fetch completed (0.001 + 0.000 secs).", []],
    ["a sequence set", "* 1 FETCH (UID 1:5)", []],
    ["a wildcard", "* 1 FETCH (UID *)", []],
    ["an atom with 8-bit bytes", "* 1 FETCH (UID 1 X-LABEL caf\xc3\xa9)", []],
    ["two spaces", "* 1 FETCH (UID 1  FLAGS ())", []],
    ["a space before a closing parenthesis", "* 1 FETCH (UID 1 )", []],
    ["an atom run into a list", "* 1 FETCH (UID 1 FLAGS(\\Seen))", []],
    ["a string run into an atom", '* 1 FETCH (UID 1 X "a"b)', []],
    ["something after the list", "* 1 FETCH (UID 1) extra", []],
    ["an unclosed list", "* 1 FETCH (UID 1 FLAGS (\\Seen)", []],
    ["an unclosed string", '* 1 FETCH (UID 1 X "abc)', []],
    ["a literal marker without its bytes", "* 1 FETCH (UID 1 BODY[1] {5}\r\n)", []],
    ["a literal8", "* 1 FETCH (UID 1 BINARY[1] ~{5}\r\n)", ["hello"]],
    ["a section after an atom that takes none", '* 1 FETCH (UID 1 X[1] "a")', []],
    ["an origin with a leading zero", '* 1 FETCH (UID 1 BODY[1]<01> "a")', []],
    ["an origin with two dots", '* 1 FETCH (UID 1 BODY[1]<1.2.3> "a")', []],
    ["a leading NUL", "\0* 1 FETCH (UID 1)", []],
    ["a bare backslash", "* 1 FETCH (UID 1 FLAGS (\\))", []],
    ["nesting deeper than 50", `* 1 FETCH (UID 1 BODYSTRUCTURE ${"(".repeat(60)}${")".repeat(60)})`, []],
  ];
  for (const [what, line, literals] of leftToImapflow) {
    it(`leaves ${what} to imapflow`, () => {
      const f = framed(line, literals);
      expect(readFetchLine(f.payload, f.literals)).toBeNull();
    });
  }
});
