/**
 * The verdict: a pure function of a Report, look-ups in the sent index and the facts gathered
 * about the original (diagnosis/evidence.ts). A match in the index always wins. Evidence that the
 * original left through the user's own account makes it "account-misuse" (never moved); evidence
 * that it went through the user's own servers keeps it from being backscatter; evidence of forgery
 * (and the secondary hints: recipient never written to, a foreign Message-ID domain) moves
 * confidence up. Every verdict says why, in words, strongest evidence first.
 */
import { messageIdDomain } from "../../shared/messageId.js";
import type { Confidence, Fact, Report, Verdict } from "../../shared/model.js";
import type { IndexLookup } from "./ports.js";

const STRONG_SOURCES = new Set(["attached-message", "attached-headers", "inline-copy", "mdn-original", "x-original-message-id"]);

/** Glob match for trusted patterns: "*" matches any run of characters; domains match suffixes. */
export function matchesPattern(id: string, pattern: string): boolean {
  const p = pattern.trim().toLowerCase();
  if (!p) return false;
  const domain = messageIdDomain(id) ?? "";
  if (!p.includes("*")) return domain === p.replace(/^@/, "") || domain.endsWith(`.${p.replace(/^@/, "")}`);
  const re = new RegExp(
    `^${p
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return re.test(id.toLowerCase()) || re.test(domain);
}

function parseDate(value: string | null): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

const CONFIDENCE: readonly Confidence[] = ["low", "medium", "high"];

/** The facts' words, strongest first, then the verdict's own. */
function withFacts(verdict: Verdict, facts: readonly Fact[]): Verdict {
  return facts.length === 0 ? verdict : { ...verdict, evidence: [...facts.map((f) => f.text), ...verdict.evidence] };
}

/**
 * Classifies one report. `receivedAt` is when the report arrived (IMAP INTERNALDATE), used when
 * the original's own date could not be recovered. `facts` (strongest first) come from
 * diagnosis/evidence.ts; without them the verdict rests on the index alone.
 */
export function classify(report: Report, index: IndexLookup, receivedAt: number | null, facts: readonly Fact[] = []): Verdict {
  const verdict = fromIndex(report, index, receivedAt, facts);
  return verdict.verdict === "not-automated" || verdict.verdict === "complaint" ? verdict : withFacts(verdict, facts);
}

/** Weighs the facts against a verdict the index gave: misuse first, then own servers, then forgery. */
function weigh(verdict: Verdict, facts: readonly Fact[], originalPredatesIndex: boolean): Verdict {
  const misuse = facts.find((f) => f.points === "misuse");
  if (misuse && !originalPredatesIndex) {
    return {
      verdict: "account-misuse",
      confidence: "high",
      reason: "It answers mail that left through your own account, and no copy is in your sent mail: your account may be in someone else's hands.",
      evidence: verdict.evidence,
    };
  }
  if (verdict.verdict !== "backscatter") return verdict;
  if (facts.some((f) => f.points === "own-relay")) {
    return {
      verdict: "unverifiable",
      confidence: "low",
      reason: "It is not in your sent mail, but it went out through your own mail server: it may be yours. Check it.",
      evidence: verdict.evidence,
    };
  }
  const forged = facts.filter((f) => f.points === "forged").reduce((n, f) => n + f.strength, 0);
  let level = CONFIDENCE.indexOf(verdict.confidence) + Math.min(forged, 2);
  // Weak evidence either way (an unverifiable signature of the user's domain, an SPF pass) keeps it for review.
  if (facts.some((f) => f.points === "weak")) level = Math.min(level, 1);
  return { ...verdict, confidence: CONFIDENCE[Math.max(0, Math.min(level, 2))] ?? "low" };
}

function fromIndex(report: Report, index: IndexLookup, receivedAt: number | null, facts: readonly Fact[]): Verdict {
  if (report.kind === "not-automated")
    return { verdict: "not-automated", confidence: "high", reason: "Ordinary mail: not an automated reply.", evidence: report.evidence };
  if (report.kind === "complaint")
    return {
      verdict: "complaint",
      confidence: "high",
      reason: "An abuse complaint (feedback report): kept for you to read, never moved.",
      evidence: report.evidence,
    };

  const recipients = report.recipients.map((r) => r.address);
  const allowedRecipient = recipients.find((r) => index.allowed(r));
  if (allowedRecipient) return { verdict: "legit", confidence: "high", reason: `You marked mail about ${allowedRecipient} as not backscatter.`, evidence: [] };

  for (const ref of report.references) {
    const sent = index.sentDate(ref.messageId);
    if (sent !== undefined) {
      const when = sent === null ? "" : ` on ${day(sent)}`;
      return {
        verdict: "legit",
        confidence: "high",
        reason: `It answers a message you sent${when}.`,
        evidence: [`Message-ID <${ref.messageId}> is in your sent mail.`],
      };
    }
    const trusted = index.trustedPatterns.find((p) => matchesPattern(ref.messageId, p));
    if (trusted)
      return {
        verdict: "legit",
        confidence: "high",
        reason: `It answers mail sent through ${trusted}, which you send with.`,
        evidence: [`Message-ID <${ref.messageId}> matches ${trusted}.`],
      };
  }

  const genuine = facts.find((f) => f.points === "genuine");
  if (genuine) return { verdict: "legit", confidence: "medium", reason: "It answers mail your own server signed, so you sent it.", evidence: [] };

  if (report.kind === "mdn") {
    return {
      verdict: "unverifiable",
      confidence: "low",
      reason: "A read receipt for a message not in your sent mail. Read receipts are never moved.",
      evidence: [],
    };
  }

  const originalDate = parseDate(report.original.date) ?? receivedAt;
  const subject = report.original.subject;
  if (
    (report.kind === "bounce" || report.kind === "delay") &&
    subject &&
    recipients.some((r) => index.wroteTo(r)) &&
    index.sentSimilar(subject, recipients, originalDate)
  ) {
    return {
      verdict: "legit",
      confidence: "medium",
      reason: "It matches mail you sent (same recipient and subject) whose Message-ID your provider rewrote.",
      evidence: [`You wrote to ${recipients.filter((r) => index.wroteTo(r)).join(", ")} with the subject “${subject}”.`],
    };
  }

  const predates = index.oldestSent !== null && originalDate !== null && originalDate < index.oldestSent;
  if (report.references.length === 0) {
    return weigh(
      {
        verdict: "unverifiable",
        confidence: "low",
        reason: "No reference to the original message could be found in it, so it cannot be checked.",
        evidence: report.evidence,
      },
      facts,
      predates,
    );
  }
  if (index.oldestSent === null) {
    return weigh(
      { verdict: "unverifiable", confidence: "low", reason: "Your sent mail has not been indexed yet, so this cannot be checked.", evidence: [] },
      facts,
      predates,
    );
  }
  if (predates) {
    return {
      verdict: "unverifiable",
      confidence: "low",
      reason: `The original is older than your oldest indexed sent message (${day(index.oldestSent)}).`,
      evidence: [],
    };
  }

  const evidence: string[] = [];
  const ids = report.references.map((r) => r.messageId);
  evidence.push(
    `None of its references (${ids
      .slice(0, 3)
      .map((i) => `<${i}>`)
      .join(", ")}${ids.length > 3 ? ", …" : ""}) is in your sent mail.`,
  );
  const neverWritten = recipients.length > 0 && recipients.every((r) => !index.wroteTo(r));
  if (neverWritten) evidence.push(`You never wrote to ${recipients.slice(0, 3).join(", ")}.`);
  const wroteSome = recipients.some((r) => index.wroteTo(r));
  if (wroteSome)
    evidence.push(
      `You did write to ${recipients
        .filter((r) => index.wroteTo(r))
        .slice(0, 3)
        .join(", ")} before.`,
    );
  const own = index.ownIdDomains;
  const foreignDomain = own.length > 0 && ids.every((id) => !own.includes(messageIdDomain(id) ?? ""));
  if (foreignDomain)
    evidence.push(`Its Message-ID domain (${messageIdDomain(ids[0] ?? "") ?? "none"}) is not one your mail uses (${own.slice(0, 3).join(", ")}).`);
  const strong = report.references.some((r) => STRONG_SOURCES.has(r.source));

  let score = (strong ? 1 : 0) + (neverWritten ? 1 : 0) + (foreignDomain ? 1 : 0) - (wroteSome ? 1 : 0);
  if (own.length === 0) score += 1; // Nothing learned yet to compare domains with: do not count it against.
  const confidence: Confidence = score >= 2 ? "high" : score >= 1 ? "medium" : "low";
  return weigh({ verdict: "backscatter", confidence, reason: "It answers a message you never sent: someone forged your address.", evidence }, facts, false);
}
