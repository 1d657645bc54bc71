// Synthetic fixtures (test/fixtures/synthetic, each marked "X-Fixture: synthetic") for what the
// corpus lacks: traps, auto-replies, challenges, virus warnings, MDNs, message/global DSNs.
import { describe, expect, it } from "vitest";
import { fixture, ids, reportOf, triageOf } from "../../harness/fixtures.js";

describe("traps stay not-automated, so they are never moved", () => {
  it.each([
    ["trap-forwarded-bounce-attachment.eml", /forwarded by a person/],
    ["trap-list-post-quoting-bounce.eml", /mailing-list/],
    ["trap-newsletter-delivery-failure.eml", /mailing-list post or newsletter/],
    ["trap-dmarc-aggregate.eml", /DMARC aggregate/],
    ["trap-quota-warning.eml", /your own mail server/],
    ["trap-human-reply-unknown-thread.eml", /no sign/],
  ])("%s", (file, why) => {
    const report = reportOf(`synthetic/${file}`);
    expect(report.kind).toBe("not-automated");
    expect(report.references).toEqual([]);
    expect(report.evidence.join(" ")).toMatch(why);
  });
});

describe("auto-replies in five styles", () => {
  it.each([
    ["autoreply-exchange.eml", "alice-q3@example.org"],
    ["autoreply-gmail.eml", "alice-hol@example.org"],
    ["autoreply-sieve-vacation.eml", "alice-meet@example.org"],
    ["autoreply-legacy-oof.eml", null],
    ["autoreply-helpdesk.eml", "alice-support@example.org"],
  ])("%s", (file, inReplyTo) => {
    const report = reportOf(`synthetic/${file}`);
    expect(report.kind).toBe("autoreply");
    if (inReplyTo) expect(report.references[0]).toEqual({ messageId: inReplyTo, source: "in-reply-to" });
    expect(report.recipients).toHaveLength(1);
    expect(triageOf(fixture(`synthetic/${file}`))).toBe(true);
  });
});

describe("challenge-response systems", () => {
  it.each(["challenge-spamarrest.eml", "challenge-boxbe.eml", "challenge-tmda.eml"])("%s", (file) => {
    expect(reportOf(`synthetic/${file}`).kind).toBe("challenge");
    expect(triageOf(fixture(`synthetic/${file}`))).toBe(true);
  });

  it("takes the original's id from the headers TMDA encloses", () => {
    expect(ids(reportOf("synthetic/challenge-tmda.eml"))).toContain("alice-leo@example.org");
  });
});

describe("virus warnings", () => {
  it.each([
    ["virus-amavis.eml", "forged-virus-1@example.org"],
    ["virus-symantec.eml", "forged-virus-2@example.org"],
    ["virus-clamav.eml", "forged-virus-3@example.org"],
  ])("%s", (file, id) => {
    const report = reportOf(`synthetic/${file}`);
    expect(report.kind).toBe("virus-warning");
    expect(ids(report)).toContain(id);
    expect(report.recipients.map((r) => r.address)).not.toContain(id);
  });
});

describe("machine-readable reports", () => {
  it("a read receipt is an MDN with its Original-Message-ID", () => {
    const report = reportOf("synthetic/mdn-read-receipt.eml");
    expect(report.kind).toBe("mdn");
    expect(report.references[0]).toEqual({ messageId: "alice-q3-mdn@example.org", source: "mdn-original" });
  });

  it("a message/global DSN (RFC 6533) with UTF-8 addresses", () => {
    const report = reportOf("synthetic/dsn-message-global.eml");
    expect(report.kind).toBe("bounce");
    expect(report.format).toBe("rfc3464");
    expect(report.references[0]).toEqual({ messageId: "forged-global-1@example.org", source: "attached-message" });
    expect(report.recipients[0]).toMatchObject({ address: "用户@例子.example", status: "5.1.1", action: "failed" });
    expect(report.original.subject).toBe("你好");
  });
});
