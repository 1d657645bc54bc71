// ENVELOPE values as header bytes: one line, UTF-8 in a binary string, as a header block read
// from the wire would hold them (headersFromEnvelope's equivalence with parsed lines is tested
// in test/unit/bounce/envelope.test.ts).
import { describe, expect, it } from "vitest";
import { asHeaderBytes } from "../../../electron/engine/mime/envelope.js";
import { fieldOfLine, headerField } from "../../../electron/engine/mime/headers.js";

describe("asHeaderBytes", () => {
  it("gives ASCII text back as it is, line breaks made spaces", () => {
    const text = "Undelivered Mail Returned to Sender";
    expect(asHeaderBytes(text)).toBe(text);
    expect(asHeaderBytes("two\r\nlines\nand\r\rmore")).toBe("two lines and more");
  });

  it("gives other text as its UTF-8 bytes, one character per byte", () => {
    expect(asHeaderBytes("Ünzustellbar")).toBe("\u00c3\u009cnzustellbar");
    expect(Buffer.from(asHeaderBytes("café\r\n☃"), "latin1").toString("utf8")).toBe("café ☃");
  });
});

describe("fieldOfLine", () => {
  it("is the field the line `Name: value` holds, the length limit counting the space", () => {
    for (const value of ["x", "  padded  ", "", `${"y".repeat(20_000)} end`, "a".repeat(16 * 1024 - 1), "a".repeat(16 * 1024)]) {
      expect(fieldOfLine("In-Reply-To", value)).toEqual(headerField("In-Reply-To", ` ${value}`));
    }
  });
});
