import { describe, expect, it } from "vitest";
import { decodeHeaderValue, parseAddressList, parseContentType, parseHeaderBlock } from "../../../electron/engine/mime/headers.js";
import { parseMessage, walk } from "../../../electron/engine/mime/tree.js";
import { fixture } from "../../harness/fixtures.js";

const nested = [
  "From: a@example.org",
  'Content-Type: multipart/mixed; boundary="outer"',
  "",
  "--outer",
  "Content-Type: text/plain",
  "",
  "hello",
  "--outer",
  "Content-Type: message/rfc822",
  "",
  "Message-ID: <inner@example.org>",
  'Content-Type: multipart/alternative; boundary="inner"',
  "",
  "--inner",
  "Content-Type: text/plain",
  "",
  "inner text",
  "--inner",
  "Content-Type: text/html",
  "",
  "<p>inner</p>",
  "--inner--",
  "--outer--",
  "",
].join("\r\n");

describe("MIME walker", () => {
  it("numbers parts the way IMAP BODYSTRUCTURE does (RFC 3501 §6.4.5)", () => {
    const { root } = parseMessage(nested);
    expect([...walk(root)].map((n) => `${n.part}:${n.type}`)).toEqual([
      ":multipart/mixed",
      "1:text/plain",
      "2:message/rfc822",
      "2:multipart/alternative",
      "2.1:text/plain",
      "2.2:text/html",
    ]);
    expect(root.children[1]?.message?.header).toContain("Message-ID: <inner@example.org>");
  });

  it("numbers a single-part message body 1", () => {
    expect(parseMessage("Subject: x\n\nbody\n").root.part).toBe("1");
  });

  it("reads a multipart whose boundary never appears as text, and says so", () => {
    const parsed = parseMessage('Content-Type: multipart/report; boundary="nope"\n\nplain words\n');
    expect(parsed.root.type).toBe("text/plain");
    expect(parsed.root.body).toContain("plain words");
    expect(parsed.problems.join()).toMatch(/never appears/);
  });

  it("decodes RFC 2047 words, RFC 2231 parameters and 8-bit UTF-8 headers", () => {
    expect(decodeHeaderValue("=?ISO-8859-1?Q?Non_remis_:_Ch=E8re?= =?UTF-8?B?w6k=?=")).toBe("Non remis : Chèreé");
    expect(decodeHeaderValue(Buffer.from("Réponse", "utf8").toString("latin1"))).toBe("Réponse");
    expect(parseContentType("attachment; filename*0*=utf-8''%E2%82%AC; filename*1=.txt").params["filename"]).toBe("€.txt");
    expect(parseAddressList('"Doe, J" <J.Doe@Example.org>, x@y.example')).toEqual(["j.doe@example.org", "x@y.example"]);
  });

  it("unfolds continuation lines and skips junk lines", () => {
    const h = parseHeaderBlock("Subject: one\r\n two\r\nnot a header\r\nX-A: b\r\n");
    expect(h.text("subject")).toBe("one two");
    expect(h.raw("x-a")).toBe("b");
  });

  it("cuts lines at LF or CRLF and stops at the first empty one, whatever the line ends around it", () => {
    const cases: [string, [string, string][]][] = [
      [
        "A: 1\nB: 2\r\nC: 3",
        [
          ["a", "1"],
          ["b", "2"],
          ["c", "3"],
        ],
      ],
      // A CR alone is not a line end: it stays in the value (and is trimmed at its end).
      [
        "A: 1\rB: 2\r\r\nC: 3\r",
        [
          ["a", "1\rB: 2"],
          ["c", "3"],
        ],
      ],
      ["A: 1\r\n\r\nB: 2", [["a", "1"]]],
      ["A: 1\n\nB: 2", [["a", "1"]]],
      [
        "A: 1\r\n\tfolded\r\n more\nB: 2\n",
        [
          ["a", "1 folded more"],
          ["b", "2"],
        ],
      ],
      ["\r\nA: 1", []],
      ["", []],
      ["X Y: no\nZ : yes", [["z", "yes"]]],
    ];
    for (const [text, fields] of cases)
      expect(
        parseHeaderBlock(text).fields.map((f) => [f.name, f.raw]),
        JSON.stringify(text),
      ).toEqual(fields);
  });

  it("parses a real bounce into the report's three parts", () => {
    const { root } = parseMessage(fixture("real/lhost-postfix-01.eml").toString("latin1"));
    expect(root.children.map((c) => c.type)).toEqual(["text/plain", "message/delivery-status", "message/rfc822"]);
  });
});
