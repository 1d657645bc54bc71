// No input crashes or hangs the parser. Speed is measured by `npm run bench`, not here: the
// generous timeouts only catch hangs.
import { describe, expect, it } from "vitest";
import { parseRawMessage } from "../../../electron/engine/bounce/index.js";
import { bigAttachment, binary, eightBit, nestedMultipart } from "../../bench/hostile.js";
import { fixture } from "../../harness/fixtures.js";

describe("hostile and broken input", () => {
  it.each([
    [0, /empty/],
    [1, /too short/],
    [3, /too short/],
  ])("%i bytes: not-automated with an error in words", (size, message) => {
    const report = parseRawMessage(Buffer.alloc(size, 0x41));
    expect(report.kind).toBe("not-automated");
    expect(report.error).toMatch(message);
  });

  it("binary data", () => {
    const report = parseRawMessage(binary(5000));
    expect(report.kind).toBe("not-automated");
    expect(report.error).toMatch(/binary/);
  });

  it("8-bit text that is not UTF-8", () => {
    const report = parseRawMessage(eightBit());
    expect(report.kind).toBe("bounce");
  });

  it("a truncated message is still read, and the truncation reported", () => {
    const whole = fixture("real/lhost-postfix-01.eml");
    const report = parseRawMessage(whole.subarray(0, 300));
    expect(report.error).toMatch(/truncated/);
  });

  it("a 5 MB attachment", { timeout: 30_000 }, () => {
    const raw = bigAttachment(5 * 1024 * 1024);
    const report = parseRawMessage(raw);
    expect(report.kind).toBe("bounce");
    expect(report.references[0]?.messageId).toBe("big@example.org");
  });

  it("200-deep nested multiparts", { timeout: 30_000 }, () => {
    const report = parseRawMessage(nestedMultipart(200));
    expect(report.error).toMatch(/nested too deep/);
    expect(report.kind).toBe("bounce");
  });

  it("a 100,000-character header line", { timeout: 30_000 }, () => {
    const raw = Buffer.from(`From: MAILER-DAEMON@example.org\r\nSubject: Undelivered ${"x".repeat(100_000)}\r\n\r\nbody\r\n`);
    expect(parseRawMessage(raw).kind).toBe("bounce");
  });

  it("leaves out copies of an id cut at an undecoded soft line break (Office 365 quoting its own QP)", () => {
    // The whole id is in the DSN's quoted header; two copies in double-encoded text end in "=".
    const report = parseRawMessage(fixture("real/lhost-office365-09.eml"));
    expect(report.references.map((r) => r.messageId)).toEqual(["SLXP216MB0381A2BCD997D05F53CDB50BA9220@slxp216mb0381.korp216.prod.outlook.com"]);
  });
});
