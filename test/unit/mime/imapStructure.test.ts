// The scanner's path: BODYSTRUCTURE → selectParts → fetched sections → parseReport must give the
// same Report as the whole file. BODYSTRUCTURE and the sections are produced here from the file
// the way an IMAP server answers them; the engine's Dovecot tests do it against a real server.
import { describe, expect, it } from "vitest";
import { parseRawMessage, secondLook, selectParts, type SectionRead } from "../../../electron/engine/bounce/index.js";
import { holdsWholeOriginal } from "../../../electron/engine/bounce/original.js";
import { FIRST_LOOK } from "../../../electron/engine/bounce/parts.js";
import { fromImapStructure } from "../../../electron/engine/mime/imapStructure.js";
import { parseMessage, walk, type PartNode } from "../../../electron/engine/mime/tree.js";
import { fixture } from "../../harness/fixtures.js";
import { asScannerSeesIt, comparable, structureOf } from "../../harness/structure.js";

const FILES = [
  "real/lhost-postfix-01.eml",
  "real/lhost-sendmail-01.eml",
  "real/lhost-qmail-01.eml",
  "real/lhost-exchange2007-01.eml",
  "real/arf-01.eml",
  "synthetic/dsn-message-global.eml",
  "synthetic/mdn-read-receipt.eml",
  "synthetic/trap-forwarded-bounce-attachment.eml",
];

describe("reports from IMAP parts", () => {
  it.each(FILES)("%s", (file) => {
    const raw = fixture(file);
    const parsed = parseMessage(raw.toString("latin1"));
    const { report: fromImap, requests } = asScannerSeesIt(parsed, parsed.headers);
    expect(comparable(fromImap)).toEqual(comparable(parseRawMessage(raw)));
    expect(requests.length).toBeGreaterThan(0);
  });

  it("takes an attached message's header from its ENVELOPE in BODYSTRUCTURE: only its trace fields are fetched for it", () => {
    const parsed = parseMessage(fixture("real/lhost-sendmail-01.eml").toString("latin1"));
    const attached = parsed.root.children.find((c) => c.type === "message/rfc822");
    expect(attached?.message).toBeDefined();
    const { report, requests } = asScannerSeesIt(parsed, parsed.headers);
    expect(requests.filter((r) => r.part === attached?.part)).toEqual([{ part: attached?.part, section: "trace", maxBytes: 32 * 1024 }]);
    expect(report.trace?.hops.length).toBeGreaterThan(0);
    expect(report.references[0]).toMatchObject({ source: "attached-message" });
    expect(report.references[0]?.messageId).toBe(parseRawMessage(fixture("real/lhost-sendmail-01.eml")).references[0]?.messageId);
  });
});

/** Bytes a set of requests reads from text parts, where the size of each part is known from the tree. */
function textBytesRead(requests: readonly SectionRead[], root: PartNode): number {
  const size = new Map([...walk(root)].map((n) => [n.part, n.size]));
  return requests.filter((r) => r.section === "body").reduce((n, r) => n + Math.max(0, Math.min(r.maxBytes, (size.get(r.part) ?? 0) - (r.start ?? 0))), 0);
}

describe("text parts in two looks", () => {
  it("reads the prose and the copied header of a large inline copy, not the spam after it", () => {
    const raw = fixture("synthetic/backscatter-exim-large-copy.eml");
    const parsed = parseMessage(raw.toString("latin1"));
    expect(parsed.root.size).toBeGreaterThan(15_000);
    const { report, requests } = asScannerSeesIt(parsed, parsed.headers);
    expect(requests).toEqual([{ part: "1", section: "body", maxBytes: FIRST_LOOK }]);
    expect(textBytesRead(requests, parsed.root)).toBe(FIRST_LOOK);
    expect(report.references).toEqual([{ source: "inline-copy", messageId: "4kq2x9f1ab.spam@spammer7.example" }]);
    expect(report.recipients.map((r) => r.address)).toEqual(["victim1234@target.example"]);
  });

  it("reads on when the first look ends inside the copied header (a cut line can look like the block's end)", () => {
    const raw = fixture("real/lhost-mxlogic-01.eml");
    const parsed = parseMessage(raw.toString("latin1"));
    const { report, requests } = asScannerSeesIt(parsed, parsed.headers);
    expect(requests.some((r) => r.start === FIRST_LOOK)).toBe(true);
    expect(report.original).toMatchObject({ subject: "Nyaaaan", messageId: "0AE85451-E088-48AE-804E-1F4B713B6C63@example.jp" });
    expect(comparable(report)).toEqual(comparable(parseRawMessage(raw)));
  });

  it("reads on past a forwarded report's own header to the original nested below it", () => {
    const raw = fixture("real/lhost-postfix-49.eml");
    const parsed = parseMessage(raw.toString("latin1"));
    const { report, requests } = asScannerSeesIt(parsed, parsed.headers);
    expect(requests.some((r) => r.start === FIRST_LOOK)).toBe(true);
    // The original Sisimai names, which only the second look reaches.
    expect(report.references.map((r) => r.messageId)).toContain("1409050600.12984636501178305590.JavaMail.root@mz-cb000p.noc-kyoto2jo.ocn.ad.jp");
  });

  it("asks for no second look when the text was not cut", () => {
    const parsed = parseMessage(fixture("real/lhost-postfix-01.eml").toString("latin1"));
    const root = fromImapStructure(structureOf(parsed.root));
    const first = selectParts(root);
    for (const node of walk(root)) if (first.some((r) => r.part === node.part)) node.body = "short and whole\n";
    expect(secondLook(root, first)).toEqual([]);
  });
});

describe("holdsWholeOriginal", () => {
  it("needs a Message-ID, a whole line after the block, and an original rather than a report's header", () => {
    const header = "Message-ID: <a1@example.org>\nFrom: Alice <alice@example.org>\nTo: bob@example.net\nSubject: hi\n";
    expect(holdsWholeOriginal(`Prose.\n\n${header}\nbody`)).toBe(true);
    expect(holdsWholeOriginal(`Prose.\n\n${header}Content-Transfer-Enc`)).toBe(false);
    expect(holdsWholeOriginal(`Prose.\n\n${header}`)).toBe(false);
    expect(holdsWholeOriginal(`Prose.\n\n${header.replace("Message-ID: <a1@example.org>\n", "")}\nbody`)).toBe(false);
    expect(holdsWholeOriginal(`Prose.\n\n${header}Content-Type: multipart/report; report-type=delivery-status\n\nbody`)).toBe(false);
    expect(holdsWholeOriginal(`Prose.\n\n${header.replace("Alice <alice@example.org>", "MAILER-DAEMON@mx.example.net")}\nbody`)).toBe(false);
  });
});
