// Each evidence rule on the fixture that proves it, with the verdict it leads to. Pure: network
// answers are given as facts (the loopback DNS tests in integration/evidenceDns.test.ts ask them).
import { describe, expect, it } from "vitest";
import { batvFresh, batvRecipient, dkimTag, isAuthenticated, parseReceived } from "../../../electron/engine/bounce/trace.js";
import { classify } from "../../../electron/engine/classify.js";
import type { IndexLookup } from "../../../electron/engine/ports.js";
import { ownFactsOf } from "../../../electron/engine/diagnosis/diagnose.js";
import { factsOf, handoffHop, lessonsOf, NO_ANSWERS, questionsFor, type NetAnswers, type OwnFacts } from "../../../electron/engine/diagnosis/evidence.js";
import { readRemoteWords } from "../../../electron/engine/diagnosis/remoteWords.js";
import { parseHeaderBlock } from "../../../electron/engine/mime/headers.js";
import type { Fact, Report } from "../../../shared/model.js";
import { reportOf } from "../../harness/fixtures.js";

const OWN: OwnFacts = { domains: ["example.test"], providerDomains: [], relayHosts: [], batvSigned: false };
const AT = Date.UTC(2026, 10, 30, 10);

/** An index that knows none of the fixtures' originals, wrote to their recipients, and shares their Message-ID domains: no hint either way. */
function index(over: Partial<IndexLookup> = {}): IndexLookup {
  return {
    sentDate: () => undefined,
    wroteTo: () => true,
    sentSimilar: () => false,
    oldestSent: Date.UTC(2026, 0, 1),
    ownIdDomains: ["laptop.local", "bot.spam.test", "spam.test", "example.test"],
    trustedPatterns: [],
    allowed: () => false,
    ...over,
  };
}

const facts = (report: Report, own: OwnFacts = OWN, net: NetAnswers = NO_ANSWERS): Fact[] => factsOf(report, own, net, AT);
const points = (f: readonly Fact[]): string[] => f.map((x) => x.points);

describe("the original's trace", () => {
  it("reads Received hops: from, IP, by and the RFC 3848 protocol; ESMTPSA and ESMTPA mean the client signed in", () => {
    const hop = parseReceived(
      "from [10.1.2.3] (unknown [198.51.100.77])\r\n\tby smtp.example.test (Postfix) with ESMTPSA id 3C9F0; Mon, 30 Nov 2026 10:00:01 +0000",
    );
    expect(hop).toEqual({ from: "10.1.2.3", ip: "198.51.100.77", by: "smtp.example.test", with: "ESMTPSA" });
    expect(isAuthenticated(hop)).toBe(true);
    expect(isAuthenticated({ ...hop, with: "ESMTPA" })).toBe(true);
    expect(isAuthenticated({ ...hop, with: "ESMTPS" })).toBe(false);
    expect(isAuthenticated({ ...hop, with: "LMTP" })).toBe(false);
    expect(parseReceived("from mail.remote.test (mail.remote.test [IPv6:2001:db8::25]) by mx.example.test with ESMTP id 1")).toMatchObject({
      from: "mail.remote.test",
      ip: "2001:db8::25",
      by: "mx.example.test",
    });
    expect(parseReceived("by mail4.example.com (Postfix) id vdvMsDwBrhz8r3rH; Thu,  9 Apr 2022 23:34:45 +0900")).toEqual({
      from: null,
      ip: null,
      by: "mail4.example.com",
      with: null,
    });
  });

  it("reads d= and s= of each DKIM-Signature", () => {
    expect(dkimTag("v=1; a=rsa-sha256; d=Example.TEST;\r\n s=sel2026; h=from; bh=x; b=y")).toEqual({ domain: "example.test", selector: "sel2026" });
    expect(dkimTag("v=1; a=rsa-sha256; s=only")).toBeNull();
  });

  it("comes from an attached original (verifiable), an attached header, or an inline copy", () => {
    const attached = reportOf("synthetic/evidence-own-relay-esmtpsa.eml").trace;
    expect(attached).toMatchObject({ source: "attached-message", attachedPart: "3" });
    expect(attached?.hops.map((h) => h.by)).toEqual(["mx.remote.test", "smtp.example.test"]);
    expect(reportOf("synthetic/evidence-headers-only.eml").trace).toMatchObject({
      source: "attached-headers",
      attachedPart: null,
      dkim: [{ domain: "example.test", selector: "sel2026" }],
    });
    expect(reportOf("synthetic/lang-en-bounce.eml").trace).toBeNull();
  });
});

describe("evidence rules, each on its fixture", () => {
  it("authenticated submission through the user's own relay: account misuse, never backscatter", () => {
    const report = reportOf("synthetic/evidence-own-relay-esmtpsa.eml");
    const f = facts(report);
    expect(f[0]).toMatchObject({ points: "misuse", strength: 3 });
    expect(f[0]?.text).toMatch(/smtp\.example\.test by a client that signed in \(with ESMTPSA from 198\.51\.100\.77\)/);
    const v = classify(report, index(), AT, f);
    expect(v).toMatchObject({ verdict: "account-misuse", confidence: "high" });
    expect(v.evidence[0]).toBe(f[0]?.text);
    // Without the evidence the index alone calls it backscatter: the alarm is what the evidence adds.
    expect(classify(report, index(), AT).verdict).toBe("backscatter");
  });

  it("a relay learned from the user's own bounces counts as theirs, whatever its domain", () => {
    const report = reportOf("synthetic/evidence-own-relay-esmtpsa.eml");
    const elsewhere: OwnFacts = { ...OWN, domains: ["other.test"] };
    expect(points(facts(report, elsewhere))).not.toContain("misuse");
    expect(points(facts(report, { ...elsewhere, relayHosts: ["smtp.example.test"] }))).toContain("misuse");
    // The provider's own servers (the IMAP server's organisation) are the user's too.
    expect(points(facts(report, { ...elsewhere, providerDomains: ["example.test"] }))).toContain("misuse");
  });

  it("the user's own DKIM signature that verifies on the whole original: account misuse", () => {
    const report = reportOf("synthetic/evidence-own-dkim.eml");
    expect(questionsFor(report, OWN).dkimPart).toBe("3");
    const f = facts(report, OWN, { ...NO_ANSWERS, dkim: [{ domain: "example.test", selector: "sel2026", result: "pass" }] });
    expect(f[0]).toMatchObject({ points: "misuse", strength: 3 });
    expect(classify(report, index(), AT, f).verdict).toBe("account-misuse");
    // A signature of the user's domain that does not verify is a hint of forgery, not a verdict.
    const failed = facts(report, OWN, { ...NO_ANSWERS, dkim: [{ domain: "example.test", selector: "sel2026", result: "fail" }] });
    expect(points(failed)).toContain("forged");
    expect(classify(report, index(), AT, failed).verdict).toBe("backscatter");
  });

  it("forged, SPF fail at the handoff: backscatter with high confidence even without a Message-ID domain hint", () => {
    const report = reportOf("synthetic/evidence-spf-fail.eml");
    const q = questionsFor(report, OWN);
    expect(q.spf).toEqual({ ip: "203.0.113.66", domain: "example.test", helo: "bot.spam.test" });
    expect(classify(report, index(), AT).confidence).toBe("low");
    const f = facts(report, OWN, { ...NO_ANSWERS, spf: { ip: "203.0.113.66", domain: "example.test", result: "fail" } });
    expect(f[0]).toMatchObject({ points: "forged", strength: 2 });
    expect(f[0]?.text).toMatch(/203\.0\.113\.66\) is not allowed to send for example\.test/);
    expect(classify(report, index(), AT, f)).toMatchObject({ verdict: "backscatter", confidence: "high" });
  });

  it("the handoff is the first hop received by a server not the user's own, with a public IP", () => {
    const relayed = reportOf("synthetic/evidence-own-relay-esmtpsa.eml").trace?.hops ?? [];
    expect(handoffHop(relayed, OWN)).toMatchObject({ by: "mx.remote.test", ip: "192.0.2.10" });
    expect(handoffHop([{ from: "lan", ip: "10.0.0.5", by: "mx.remote.test", with: "ESMTP" }], OWN)).toBeNull();
  });

  it("Gmail's 5.7.26 and Microsoft's 5.7.509 in the DSN (real samples): the remote server says it failed authentication", () => {
    for (const name of ["real/rhost-google-03.eml", "real/rhost-microsoft-04.eml"]) {
      const report = reportOf(name);
      const words = readRemoteWords(report.recipients);
      expect(words.authFailure, name).toMatch(/5\.7\.26|5\.7\.509/);
      expect(words.restricted, name).toBeNull();
      expect(facts(report, OWN).find((f) => f.points === "forged")?.text, name).toMatch(/failed your domain's authentication/);
    }
    expect(
      readRemoteWords([{ address: "a@b.test", action: "failed", status: "5.7.1", diagnostic: "550 5.7.1 SPF check failed for example.test", remoteMta: null }])
        .authFailure,
    ).toMatch(/SPF check failed/);
    expect(readRemoteWords([{ address: "a@b.test", action: "failed", status: "5.1.1", diagnostic: "550 5.1.1 User unknown", remoteMta: null }])).toEqual({
      authFailure: null,
      restricted: null,
    });
  });

  it("Microsoft's restricted sender (5.1.8 bad outbound sender): the account is the sender", () => {
    const report = reportOf("synthetic/evidence-microsoft-restricted.eml");
    expect(readRemoteWords(report.recipients).restricted).toMatch(/bad outbound sender/);
    const f = facts(report);
    expect(f[0]).toMatchObject({ points: "misuse", strength: 3 });
    expect(classify(report, index(), AT, f).verdict).toBe("account-misuse");
    // A generic 5.1.8 ("bad sender's system address") is not this.
    expect(
      readRemoteWords([
        { address: "a@b.test", action: "failed", status: "5.1.8", diagnostic: "553 5.1.8 Domain of sender address does not exist", remoteMta: null },
      ]).restricted,
    ).toBeNull();
  });

  it("a BATV-signed bounce answers mail the user's server signed: legit; a stale or foreign tag is not", () => {
    const report = reportOf("synthetic/evidence-batv-signed.eml");
    expect(report.batv).toBe("prvs=1787a1b2c3=alice@example.test");
    const f = facts(report);
    expect(f[0]).toMatchObject({ points: "genuine", strength: 3 });
    expect(classify(report, index(), AT, f)).toMatchObject({ verdict: "legit", confidence: "medium" });
    expect(batvFresh("prvs=1787a1b2c3=alice", AT)).toBe(true);
    expect(batvFresh("prvs=1787a1b2c3=alice", AT + 30 * 86_400_000)).toBe(false);
    expect(points(factsOf(report, OWN, NO_ANSWERS, AT + 30 * 86_400_000))).not.toContain("genuine");
    expect(points(facts(report, { ...OWN, domains: ["other.test"] }))).not.toContain("genuine");
    expect(batvRecipient(parseHeaderBlock("To: alice@example.test\r\nDelivered-To: prvs=alice/0a1b2c@example.test\r\n"))).toBe(
      "prvs=alice/0a1b2c@example.test",
    );
  });

  it("a bounce to the bare address while the user's mail is BATV-signed: forged", () => {
    const report = reportOf("synthetic/evidence-spf-fail.eml");
    expect(report.batv).toBeNull();
    expect(facts(report).some((f) => /BATV/.test(f.text))).toBe(false);
    const f = facts(report, { ...OWN, batvSigned: true });
    expect(f[0]?.text).toMatch(/bare address.*BATV/);
    expect(classify(report, index(), AT, f).confidence).toBe("high");
  });

  it("a reporting server on Backscatterer.org's list: a hint of forgery, never a verdict on its own", () => {
    const report = reportOf("synthetic/evidence-backscatterer-listed.eml");
    expect(questionsFor(report, OWN).reporter).toBe("mx.bounce.test");
    const f = facts(report, OWN, { ...NO_ANSWERS, backscatterer: { host: "mx.bounce.test", ip: "203.0.113.9", listed: true } });
    expect(f.find((x) => /Backscatterer/.test(x.text))).toMatchObject({ points: "forged", strength: 1 });
    // An unverifiable report stays unverifiable, whatever the list says.
    const noRefs = { ...report, references: [] };
    expect(classify(noRefs, index(), AT, f).verdict).toBe("unverifiable");
  });

  it("a headers-only copy with the user's DKIM tag is weak evidence: said so, and kept for review (medium at most)", () => {
    const report = reportOf("synthetic/evidence-headers-only.eml");
    expect(questionsFor(report, OWN).dkimPart).toBeNull();
    const f = facts(report);
    expect(f.find((x) => x.points === "weak")?.text).toMatch(/only a copy of its header came back, so it cannot be verified: weak evidence/);
    const strong = classify(report, index({ wroteTo: () => false, ownIdDomains: ["example.test"] }), AT);
    expect(strong.confidence).toBe("high");
    expect(classify(report, index({ wroteTo: () => false, ownIdDomains: ["example.test"] }), AT, f).confidence).toBe("medium");
  });

  it("no network: every question unanswered is said as 'not checked', and the verdict rests on the rest", () => {
    const report = reportOf("synthetic/evidence-spf-fail.eml");
    const f = facts(report, OWN, {
      spf: { ip: "203.0.113.66", domain: "example.test", result: "no-network" },
      dkim: null,
      backscatterer: { host: "mx.remote.test", ip: null, listed: "no-network" },
    });
    expect(f.find((x) => x.points === "unchecked")?.text).toBe(
      "Not checked, no network: the SPF of example.test for 203.0.113.66; Backscatterer.org for mx.remote.test.",
    );
    const answered = f.filter((x) => x.points !== "unchecked");
    expect(answered.map((x) => x.text)).toEqual([expect.stringMatching(/never passed through your mail servers/)]);
    expect(classify(report, index(), AT, f)).toMatchObject({ verdict: "backscatter", confidence: classify(report, index(), AT, answered).confidence });
  });

  it("an original that went out through the user's own server (no sign-in seen) is never backscatter", () => {
    const report = reportOf("synthetic/evidence-batv-signed.eml");
    const unsigned = { ...report, batv: null };
    const f = facts(unsigned);
    expect(points(f)).toContain("forged"); // passed only foreign servers, as far as its header shows
    const mine = facts(unsigned, { ...OWN, relayHosts: ["smtp.example.test"] });
    // The only hop is the remote's, from the user's relay: a foreign server received it from an own one.
    expect(points(mine)).not.toContain("misuse");
    const chain = {
      ...unsigned,
      trace: unsigned.trace && {
        ...unsigned.trace,
        hops: [
          { from: "out.example.test", ip: "192.0.2.10", by: "mx.remote.test", with: "ESMTPS" },
          { from: "webmail", ip: "10.0.0.2", by: "smtp.example.test", with: "ESMTP" },
        ],
      },
    };
    const own = facts(chain);
    expect(own[0]).toMatchObject({ points: "own-relay" });
    expect(classify(chain, index(), AT, own)).toMatchObject({ verdict: "unverifiable" });
  });

  it("a bounce of the user's own mail teaches its relays: the oldest hops of one organisation, and the host that handed it on", () => {
    const report = reportOf("synthetic/evidence-own-relay-esmtpsa.eml");
    expect(lessonsOf(report)).toEqual({ relays: ["smtp.example.test"], relayIps: ["192.0.2.10"], dkim: [], batv: false });
    expect(lessonsOf(reportOf("synthetic/evidence-batv-signed.eml"))).toEqual({ relays: [], relayIps: [], dkim: [], batv: true });
    expect(lessonsOf(reportOf("synthetic/evidence-own-dkim.eml")).dkim).toEqual([{ domain: "example.test", selector: "sel2026" }]);
    expect(
      ownFactsOf(
        { user: "Alice@Example.test", host: "imap.mail.example.co.uk" },
        { identities: ["alice@other.test"], relays: ["smtp.x.test"], relayIps: [], dkim: [], batvSigned: false },
      ),
    ).toEqual({ domains: ["example.test", "other.test"], providerDomains: ["example.co.uk"], relayHosts: ["smtp.x.test"], batvSigned: false });
  });

  it("nothing legit becomes anything else: a match in the sent index wins over every fact", () => {
    const report = reportOf("synthetic/evidence-own-relay-esmtpsa.eml");
    const sent = index({ sentDate: (id) => (id === "spam-relay@laptop.local" ? AT : undefined) });
    expect(classify(report, sent, AT, facts(report)).verdict).toBe("legit");
  });
});
