// No input crashes or hangs the parser. Speed is measured by `npm run bench`, not here: the
// generous timeouts only catch hangs.
import { describe, expect, it } from "vitest";
import { parseRawMessage } from "../../../electron/engine/bounce/index.js";
import { fixture } from "../../harness/fixtures.js";

function nestedMultipart(depth: number): Buffer {
  let body = "Content-Type: text/plain\r\n\r\nMessage-ID: <deep@example.org>\r\nFrom: a@example.org\r\nSubject: deep\r\n";
  for (let i = depth; i > 0; i--) body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}\r\n--b${i}--\r\n`;
  return Buffer.from(`From: MAILER-DAEMON@example.org\r\nSubject: Undelivered Mail\r\n${body}`, "latin1");
}

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
    const report = parseRawMessage(Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)));
    expect(report.kind).toBe("not-automated");
    expect(report.error).toMatch(/binary/);
  });

  it("8-bit text that is not UTF-8", () => {
    const raw = Buffer.concat([Buffer.from("From: MAILER-DAEMON@example.org\r\nSubject: Unzustellbar\r\n\r\nKonnte nicht zugestellt werden: "), Buffer.from([0xe4, 0xf6, 0xfc, 0xff, 0xfe]), Buffer.from("\r\n")]);
    const report = parseRawMessage(raw);
    expect(report.kind).toBe("bounce");
  });

  it("a truncated message is still read, and the truncation reported", () => {
    const whole = fixture("real/lhost-postfix-01.eml");
    const report = parseRawMessage(whole.subarray(0, 300));
    expect(report.error).toMatch(/truncated/);
  });

  it("a 5 MB attachment", { timeout: 30_000 }, () => {
    const attachment = Buffer.alloc(5 * 1024 * 1024, "QUFB").toString("latin1");
    const raw = Buffer.from(
      `From: MAILER-DAEMON@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host mx.example.org.\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: <big@example.org>\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--x--\r\n`,
      "latin1",
    );
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
});
