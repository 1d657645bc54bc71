import { describe, expect, it } from "vitest";
import { splitMbox } from "../../../electron/engine/cli/files.js";
import { TRIAGE_FIELDS, triage } from "../../../electron/engine/bounce/triage.js";
import { parseHeaderBlock } from "../../../electron/engine/mime/headers.js";
import { fixture, triageOf } from "../../harness/fixtures.js";

/** Headers as IMAP hands them to triage: only TRIAGE_FIELDS, via HEADER.FIELDS. */
function fieldsOnly(raw: Buffer): ReturnType<typeof parseHeaderBlock> {
  return parseHeaderBlock(raw.toString("latin1")).only(TRIAGE_FIELDS);
}

describe("triage", () => {
  const ordinary = splitMbox(fixture("synthetic/ordinary.mbox"));

  it("lets through none of the 25 ordinary messages (newsletters, receipts, replies, shipping notices)", () => {
    const passed = ordinary.filter((m) => triage(fieldsOnly(m)).candidate);
    expect(ordinary).toHaveLength(25);
    expect(passed).toEqual([]);
  });

  it("passes a bounce on its null return path alone", () => {
    expect(triage(parseHeaderBlock("Return-Path: <>\r\nFrom: x@example.org\r\nSubject: hello\r\n")).candidate).toBe(true);
  });

  it("passes an RFC 3834 auto-reply on Auto-Submitted, but not Auto-Submitted: no", () => {
    expect(triage(parseHeaderBlock("From: x@example.org\r\nAuto-Submitted: auto-replied\r\nSubject: hi\r\n")).likelyKind).toBe("autoreply");
    expect(triage(parseHeaderBlock("From: x@example.org\r\nAuto-Submitted: no\r\nSubject: hi\r\n")).candidate).toBe(false);
  });

  it("does not pass a list post whose subject merely mentions a failed delivery", () => {
    expect(triageOf(fixture("synthetic/trap-newsletter-delivery-failure.eml"))).toBe(false);
  });

  it("hints the kind of machine-readable reports", () => {
    expect(triage(parseHeaderBlock("From: x@example.org\r\nContent-Type: multipart/report; report-type=feedback-report; boundary=x\r\n")).likelyKind).toBe(
      "complaint",
    );
    expect(
      triage(parseHeaderBlock("From: x@example.org\r\nContent-Type: multipart/report; report-type=disposition-notification; boundary=x\r\n")).likelyKind,
    ).toBe("mdn");
  });
});
