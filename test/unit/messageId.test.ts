import { describe, expect, it } from "vitest";
import { extractMessageIds, messageIdDomain, normaliseMessageId, sameMessageId } from "../../shared/messageId.js";

describe("normaliseMessageId", () => {
  it("strips angle brackets, comments and folding whitespace", () => {
    expect(normaliseMessageId(" <abc.123@Example.ORG> ")).toBe("abc.123@example.org");
    expect(normaliseMessageId("<abc.123@example.org> (sent by a robot)")).toBe("abc.123@example.org");
    expect(normaliseMessageId("<abc.\r\n 123@example.org>")).toBe("abc.123@example.org");
  });

  it("keeps the local part as written and lower-cases only the domain", () => {
    expect(normaliseMessageId("<AbC@EXAMPLE.org>")).toBe("AbC@example.org");
    expect(sameMessageId("<AbC@example.org>", "AbC@EXAMPLE.ORG")).toBe(true);
    expect(sameMessageId("<AbC@example.org>", "<abc@example.org>")).toBe(false);
  });

  it("keeps ids without a domain and rejects what cannot be an id", () => {
    expect(normaliseMessageId("<0101-ses-id-000000>")).toBe("0101-ses-id-000000");
    expect(normaliseMessageId("<>")).toBeNull();
    expect(normaliseMessageId("<a\u0000b@x>")).toBeNull();
    expect(normaliseMessageId("x".repeat(1200))).toBeNull();
  });

  it("extracts every id of a References header, in order, once each", () => {
    expect(extractMessageIds("<a@x.org> <b@Y.org>\r\n <a@X.org>")).toEqual(["a@x.org", "b@y.org"]);
    expect(extractMessageIds("bare-id@host.example")).toEqual(["bare-id@host.example"]);
    expect(messageIdDomain("a@x.org")).toBe("x.org");
  });
});
