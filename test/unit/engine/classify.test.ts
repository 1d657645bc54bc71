import { describe, expect, it } from "vitest";
import { classify, matchesPattern } from "../../../electron/engine/classify.js";
import type { IndexLookup } from "../../../electron/engine/ports.js";
import type { Report } from "../../../shared/model.js";

const SENT = new Map([["mine-1@example.org", Date.UTC(2026, 5, 1)]]);

function index(over: Partial<IndexLookup> = {}): IndexLookup {
  return {
    sentDate: (id) => SENT.get(id),
    wroteTo: (a) => a === "friend@remote.example",
    sentSimilar: (subject) => subject === "Plans",
    oldestSent: Date.UTC(2026, 0, 1),
    ownIdDomains: ["example.org"],
    trustedPatterns: [],
    allowed: () => false,
    ...over,
  };
}

function bounce(over: Partial<Report> = {}): Report {
  return {
    kind: "bounce",
    format: "postfix",
    references: [{ messageId: "forged@spam.example", source: "attached-message" }],
    original: {
      from: "alice@example.org",
      to: ["victim@target.example"],
      subject: "Pills",
      date: "Mon, 1 Jun 2026 10:00:00 +0000",
      messageId: "forged@spam.example",
    },
    recipients: [{ address: "victim@target.example", action: "failed", status: "5.1.1", diagnostic: null, remoteMta: null }],
    reportingMta: "mx.remote.example",
    action: "failed",
    evidence: [],
    error: null,
    trace: null,
    batv: null,
    ...over,
  };
}

describe("classify", () => {
  it("legit when any reference is in the sent index, whatever else it says", () => {
    const v = classify(
      bounce({
        references: [
          { messageId: "forged@spam.example", source: "attached-message" },
          { messageId: "mine-1@example.org", source: "references" },
        ],
      }),
      index(),
      null,
    );
    expect(v).toMatchObject({ verdict: "legit", confidence: "high" });
    expect(v.reason).toMatch(/2026-06-01/);
  });

  it("backscatter with high confidence and its evidence in words", () => {
    const v = classify(bounce(), index(), null);
    expect(v).toMatchObject({ verdict: "backscatter", confidence: "high" });
    expect(v.evidence.join(" ")).toMatch(/never wrote to victim@target.example/);
    expect(v.evidence.join(" ")).toMatch(/spam.example.*not one your mail uses/);
  });

  it("lowers confidence when the user did write to the recipient", () => {
    const v = classify(
      bounce({
        references: [{ messageId: "x@example.org", source: "in-reply-to" }],
        recipients: [{ address: "friend@remote.example", action: "failed", status: null, diagnostic: null, remoteMta: null }],
        original: { from: null, to: [], subject: "Other", date: null, messageId: null },
      }),
      index(),
      null,
    );
    expect(v).toMatchObject({ verdict: "backscatter", confidence: "low" });
  });

  it("keeps a bounce whose Message-ID the provider rewrote (recipient written to, same subject)", () => {
    const v = classify(
      bounce({
        recipients: [{ address: "friend@remote.example", action: "failed", status: null, diagnostic: null, remoteMta: null }],
        original: { from: null, to: [], subject: "Plans", date: null, messageId: null },
      }),
      index(),
      null,
    );
    expect(v).toMatchObject({ verdict: "legit", confidence: "medium" });
  });

  it("unverifiable without references, or when the original predates the index", () => {
    expect(classify(bounce({ references: [] }), index(), null).verdict).toBe("unverifiable");
    expect(
      classify(bounce({ original: { from: null, to: [], subject: null, date: "Mon, 1 Jun 2020 10:00:00 +0000", messageId: null } }), index(), null).reason,
    ).toMatch(/older than your oldest/);
    expect(classify(bounce(), index({ oldestSent: null }), null).verdict).toBe("unverifiable");
  });

  it("never moves complaints, read receipts or ordinary mail", () => {
    expect(classify(bounce({ kind: "complaint" }), index(), null).verdict).toBe("complaint");
    expect(classify(bounce({ kind: "mdn" }), index(), null).verdict).not.toBe("backscatter");
    expect(classify(bounce({ kind: "not-automated" }), index(), null).verdict).toBe("not-automated");
  });

  it("trusts other senders' Message-ID domains and the user's allow-list", () => {
    expect(
      classify(
        bounce({ references: [{ messageId: "abc@em.newsletter.example", source: "attached-message" }] }),
        index({ trustedPatterns: ["newsletter.example"] }),
        null,
      ).verdict,
    ).toBe("legit");
    expect(classify(bounce(), index({ allowed: (a) => a.endsWith("@target.example") }), null).verdict).toBe("legit");
    expect(matchesPattern("0101-abc@us-west-2.amazonses.com", "*.amazonses.com")).toBe(true);
    expect(matchesPattern("x@amazonses.com.evil.example", "amazonses.com")).toBe(false);
  });
});
