// Localised reports: the phrases must be recognised in each language, not just the structure.
import { describe, expect, it } from "vitest";
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
