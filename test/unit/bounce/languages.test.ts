// Localised reports: the phrases must be recognised in each language, not just the structure.
import { describe, expect, it } from "vitest";
import { AUTOREPLY_WEAK_SUBJECT, BOUNCE_SUBJECT, CHALLENGE_PHRASE, VIRUS_PHRASE } from "../../../electron/engine/bounce/phrases.js";
import { readSignals } from "../../../electron/engine/bounce/signals.js";
import { parseMessage } from "../../../electron/engine/mime/tree.js";
import { fixture, ids, reportOf } from "../../harness/fixtures.js";

const LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "ja", "zh"];

describe.each(LANGUAGES)("language %s", (code) => {
  it("bounce: subject recognised, original and recipient recovered", () => {
    const file = `synthetic/lang-${code}-bounce.eml`;
    expect(readSignals(parseMessage(fixture(file).toString("latin1")).headers).bounceSubject).toBe(true);
    const report = reportOf(file);
    expect(report.kind).toBe("bounce");
    expect(ids(report)).toEqual([`forged-${code}@example.org`]);
    expect(report.recipients.map((r) => r.address)).toEqual(["bob@remote.example"]);
  });

  it("auto-reply: recognised from its subject alone (no Auto-Submitted header)", () => {
    const file = `synthetic/lang-${code}-autoreply.eml`;
    expect(readSignals(parseMessage(fixture(file).toString("latin1")).headers).autoreplySubject).toBe(true);
    expect(reportOf(file).kind).toBe("autoreply");
  });
});

// Whole words where a list needs them (written as lookarounds, see phrases.ts): the same words as
// `\b` finds under the lists' flags, the Kelvin sign and long s counting as letters.
describe("phrases that must be whole words", () => {
  const lists = { BOUNCE_SUBJECT, AUTOREPLY_WEAK_SUBJECT, CHALLENGE_PHRASE, VIRUS_PHRASE };
  const cases: [keyof typeof lists, string, boolean][] = [
    ["BOUNCE_SUBJECT", "Mail bounced", true],
    ["BOUNCE_SUBJECT", "BOUNCE: your mail", true],
    ["BOUNCE_SUBJECT", "bouncer wanted", false],
    ["BOUNCE_SUBJECT", "trampoline_bounce", false],
    ["BOUNCE_SUBJECT", "\u017fbounce", false],
    ["BOUNCE_SUBJECT", "bounce\u212a", false],
    ["AUTOREPLY_WEAK_SUBJECT", "OOO until Monday", true],
    ["AUTOREPLY_WEAK_SUBJECT", "FOOOD", false],
    ["AUTOREPLY_WEAK_SUBJECT", "Away: back soon", true],
    ["AUTOREPLY_WEAK_SUBJECT", "faraway places", false],
    ["CHALLENGE_PHRASE", "[TMDA] please confirm", true],
    ["CHALLENGE_PHRASE", "xtmdax", false],
    ["VIRUS_PHRASE", "VIRUS found in your mail", true],
    ["VIRUS_PHRASE", "antivirus update", false],
    ["VIRUS_PHRASE", "-banned attachment", true],
    ["VIRUS_PHRASE", "unbanned contents", false],
  ];
  it.each(cases)("%s on %j: %s", (name, text, expected) => {
    const re = lists[name];
    expect(re.test(text)).toBe(expected);
    // What `\b` would have said, under the same flags.
    const withB = new RegExp(re.source.replaceAll("(?<![a-z0-9_])", "\\b").replaceAll("(?![a-z0-9_])", "\\b"), re.flags);
    expect(withB.test(text)).toBe(expected);
  });
});
