// The envelope pre-gate: ordinary mail is turned away on what ENVELOPE and BODYSTRUCTURE say,
// before a single header field is fetched (the corpus test proves it never turns away a message
// that carries a reference to an original).
import { describe, expect, it } from "vitest";
import { automatedHint, EXTRA_FIELDS, headersFromEnvelope } from "../../../electron/engine/bounce/envelope.js";
import { readSignals } from "../../../electron/engine/bounce/signals.js";
import { splitMbox } from "../../../electron/engine/cli/files.js";
import { envelopeHeaderLines, type Envelope } from "../../../electron/engine/mime/envelope.js";
import { Headers, parseHeaderBlock } from "../../../electron/engine/mime/headers.js";
import type { ImapBodyStructure } from "../../../electron/engine/mime/imapStructure.js";
import { fixture } from "../../harness/fixtures.js";
import { throughScanner } from "../../harness/structure.js";

const plain = { type: "text/plain" };

describe("automatedHint", () => {
  it('turns away 20 of the 25 ordinary messages; four replies and an "Away next week" pass on to triage', () => {
    const hints = splitMbox(fixture("synthetic/ordinary.mbox")).map((m) => throughScanner(m).hint);
    expect(hints).toHaveLength(25);
    expect(hints.filter((h) => h !== null).sort()).toEqual(["reply", "reply", "reply", "reply", "subject"]);
  });

  it("passes report structures, system senders, telling subjects and replies, strongest reason first", () => {
    const person = [{ name: "Bob", address: "bob@example.net" }];
    expect(automatedHint({ from: person }, { type: "multipart/report", childNodes: [plain] })).toBe("report-part");
    expect(automatedHint({ from: person }, { type: "multipart/mixed", childNodes: [plain, { type: "message/rfc822" }] })).toBe("report-part");
    expect(automatedHint({ from: [{ address: "MAILER-DAEMON@mx.example.net" }], subject: "hello" }, plain)).toBe("system-sender");
    expect(automatedHint({ from: [{ name: "MAILER-DAEMON", address: "" }] }, plain)).toBe("system-sender");
    expect(automatedHint({ from: person, subject: "Out of Office: lunch" }, plain)).toBe("subject");
    expect(automatedHint({ from: person, subject: "Re: lunch", inReplyTo: "<a@b>" }, plain)).toBe("reply");
    expect(automatedHint({ from: person, subject: "lunch" }, plain)).toBeNull();
  });

  it("reads a structure the server could not describe as a possible report", () => {
    expect(automatedHint({ from: [{ address: "bob@example.net" }] }, undefined)).toBe("report-part");
  });
});

describe("headersFromEnvelope", () => {
  it("rebuilds the triage header from ENVELOPE, BODYSTRUCTURE and the extra fields, keeping a null sender", () => {
    const extra = new Headers([{ name: "auto-submitted", raw: " auto-replied" }]);
    const headers = headersFromEnvelope(
      { from: [{ name: "MAILER-DAEMON", address: "" }], subject: "Ünzustellbar", messageId: "<x@y>", date: new Date("2026-01-05T10:00:00Z") },
      { type: "multipart/report", parameters: { "report-type": "delivery-status", boundary: "b" }, childNodes: [plain] },
      extra,
    );
    const s = readSignals(headers);
    expect(s.nullSender).toBe(true);
    expect(s.reportType).toBe("delivery-status");
    expect(s.autoSubmitted).toBe("auto-replied");
    expect(s.subject).toBe("Ünzustellbar");
    expect(headers.raw("message-id")).toBe("<x@y>");
  });

  // The fields are built directly; they must be what writing the envelope out as header lines
  // and parsing them back gives (the way it was done before, and the way imapStructure.ts still
  // writes an attached message's header).
  const envelopes: Envelope[] = [
    {
      from: [{ name: 'Ann "the" Müller', address: "ann@example.de" }, { address: "b@example.org" }],
      sender: [{ name: "MAILER-DAEMON", address: "" }],
      to: [{ name: "Alice", address: "alice@example.org" }],
      cc: [{ address: "c@example.org" }],
      subject: "Ünzustellbar: =?utf-8?q?caf=C3=A9?=",
      date: new Date("2026-01-05T10:00:00Z"),
      messageId: "<x@y>",
      inReplyTo: "<orig@example.org>",
    },
    { subject: "", date: "not a date\r\nX-Injected: yes" },
    { date: new Date(Number.NaN), subject: "two\r\n lines" },
    { subject: `long ${"x".repeat(20_000)} end`, from: [] },
    {},
  ];
  const structures: [ImapBodyStructure | undefined, string | null][] = [
    [undefined, null],
    [
      { type: "multipart/report", parameters: { "report-type": "delivery-status", boundary: '"b"' }, childNodes: [plain] },
      'multipart/report; report-type="delivery-status"; boundary="b"',
    ],
    [{ type: "text/plain", parameters: { charset: "utf-8", name: "résumé.txt" } }, 'text/plain; charset="utf-8"; name="résumé.txt"'],
  ];
  for (const [i, env] of envelopes.entries()) {
    for (const [structure, contentType] of structures) {
      it(`gives the fields the header lines would give (envelope ${i}, ${contentType ?? "no structure"})`, () => {
        const lines = envelopeHeaderLines(env);
        if (contentType) lines.push(`Content-Type: ${Buffer.from(contentType, "utf8").toString("latin1")}`);
        expect(headersFromEnvelope(env, structure).fields).toEqual(parseHeaderBlock(lines.join("\r\n")).fields);
      });
    }
  }

  it("keeps a line break in a structure's parameter from adding a field", () => {
    const headers = headersFromEnvelope({ subject: "s" }, { type: "text/plain", parameters: { name: "a\r\nAuto-Submitted: auto-replied" } });
    expect(headers.has("auto-submitted")).toBe(false);
    expect(headers.raw("content-type")).toBe('text/plain; name="a Auto-Submitted: auto-replied"');
  });

  it("asks the server only for fields ENVELOPE does not carry", () => {
    expect(EXTRA_FIELDS).toContain("return-path");
    expect(EXTRA_FIELDS).toContain("auto-submitted");
    for (const inEnvelope of ["from", "to", "subject", "date", "message-id", "in-reply-to", "content-type"]) expect(EXTRA_FIELDS).not.toContain(inEnvelope);
  });
});
