// The acceptance figures of the bounce parser against Sisimai's answers on ../shared/corpus.
import { beforeAll, describe, expect, it } from "vitest";
import { parseRawMessage, parseReport } from "../../electron/engine/bounce/index.js";
import { listMessageFiles, readMessages } from "../../electron/engine/cli/files.js";
import { parseMessage } from "../../electron/engine/mime/tree.js";
import { FIXTURES, SISIMAI } from "../harness/paths.js";
import { comparable, throughScanner } from "../harness/structure.js";
import { evaluateCorpus, summarise, type Evaluation } from "./evaluate.js";
import { classify } from "../../electron/engine/classify.js";
import type { IndexLookup } from "../../electron/engine/ports.js";
import { factsOf, NO_ANSWERS, type NetAnswers, type OwnFacts } from "../../electron/engine/diagnosis/evidence.js";

/** An index where `sent` says which Message-IDs the user sent; the rest gives no hint either way. */
function corpusIndex(sent: (id: string) => boolean): IndexLookup {
  return {
    sentDate: (id) => (sent(id) ? 0 : undefined),
    wroteTo: () => false,
    sentSimilar: () => false,
    oldestSent: 0,
    ownIdDomains: [],
    trustedPatterns: [],
    allowed: () => false,
  };
}

let ev: Evaluation;

beforeAll(async () => {
  ev = await evaluateCorpus();
  process.stderr.write(`\n${summarise(ev)}\n`);
}, 120_000);

describe("the Sisimai corpus", () => {
  it("evidence never makes a verdict backscatter, and never undoes a match in the sent index", () => {
    const reports = ev.results.flatMap((r) => r.reports).filter((r) => r.kind !== "not-automated");
    expect(reports.length).toBeGreaterThan(600);
    const answers: NetAnswers[] = [
      NO_ANSWERS,
      {
        spf: { ip: "192.0.2.1", domain: "example.jp", result: "fail" },
        dkim: [{ domain: "example.jp", selector: "s", result: "pass" }],
        backscatterer: { host: "mx.example.jp", ip: "192.0.2.2", listed: true },
      },
    ];
    let changed = 0;
    for (const report of reports) {
      // The worst case: the original's sender is the user, so every hop and signature of theirs counts as own.
      const domain = report.original.from?.split("@")[1] ?? "example.jp";
      const own: OwnFacts = { domains: [domain], providerDomains: [], relayHosts: [], batvSigned: true };
      const ids = new Set(report.references.map((r) => r.messageId));
      const nothingSent = corpusIndex(() => false);
      const allSent = corpusIndex((id) => ids.has(id));
      for (const net of answers) {
        const facts = factsOf(report, own, net, Date.UTC(2020, 0, 1));
        const before = classify(report, nothingSent, null).verdict;
        const after = classify(report, nothingSent, null, facts).verdict;
        if (before !== "backscatter") expect(after, JSON.stringify(report.references)).not.toBe("backscatter");
        if (before !== after) changed++;
        if (ids.size > 0) expect(classify(report, allSent, null, facts).verdict).toBe(classify(report, allSent, null).verdict);
      }
    }
    process.stderr.write(`evidence changed ${changed} of ${reports.length * answers.length} verdicts (none to backscatter)\n`);
  });

  it("reads every file and message", () => {
    expect(ev.files).toBeGreaterThanOrEqual(690);
    expect(ev.messages).toBeGreaterThan(ev.files);
  });

  it("≥ 99% of Sisimai's bounces are automated for us", () => {
    expect(ev.recognised / ev.sisimaiBounces).toBeGreaterThanOrEqual(0.99);
  });

  it("≥ 98% of Sisimai's original Message-IDs are among ours", () => {
    expect(ev.idAgreed / ev.idRecords).toBeGreaterThanOrEqual(0.98);
  });

  it("finds no bounce in maildir/not/is-not-bounce-*", () => {
    expect(ev.notBounceFalsePositives).toEqual([]);
  });

  it("triage never turns away a message parseReport calls automated", () => {
    expect(ev.triageRejectedAutomated).toEqual([]);
  });

  it("finds the newer formats Sisimai 4.25 misses (all 30 DragonFly samples)", () => {
    expect(ev.beyondSisimai.filter((f) => f.includes("dragonfly"))).toHaveLength(30);
  });
});

describe("parts as IMAP delivers them", () => {
  it(
    "the triage header fields and the parts selectParts chooses, cut at their caps, give the same Report as the whole message",
    { timeout: 120_000 },
    async () => {
      const files = await listMessageFiles(SISIMAI, SISIMAI);
      let compared = 0;
      for (const file of files) {
        for (const raw of await readMessages(file.path)) {
          const parsed = parseMessage(raw.toString("latin1"));
          if (parsed.headers.fields.length === 0) continue;
          const whole = parseReport({ headers: parsed.headers, root: parsed.root, problems: parsed.problems });
          // parseRawMessage reads exactly what the scanner fetches (with its second look).
          expect(parseRawMessage(raw), file.label).toEqual(whole);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(700);
    },
  );

  it(
    "the scanner's path (envelope pre-gate, ENVELOPE + extra fields, BODYSTRUCTURE, sections) gives the same Report; what the pre-gate turns away carries no reference",
    { timeout: 120_000 },
    async () => {
      const turnedAway: string[] = [];
      let compared = 0;
      for (const root of [SISIMAI, FIXTURES]) {
        for (const file of await listMessageFiles(root, root)) {
          for (const raw of await readMessages(file.path)) {
            const whole = parseRawMessage(raw);
            const scanner = throughScanner(raw);
            if (whole.kind === "not-automated") {
              expect(scanner.report?.kind ?? "not-automated", file.label).toBe("not-automated");
            } else if (scanner.report === null) {
              // Never looked at closely, so it must be something that could never be moved.
              expect(whole.references, file.label).toEqual([]);
              turnedAway.push(file.label);
            } else {
              expect(comparable(scanner.report), file.label).toEqual(comparable(whole));
              compared++;
            }
          }
        }
      }
      expect(compared).toBeGreaterThan(650);
      expect(turnedAway.length).toBeLessThanOrEqual(2);
    },
  );
});
