// The scanner's path: BODYSTRUCTURE → selectParts → fetched sections → parseReport must give the
// same Report as the whole file. BODYSTRUCTURE and the sections are produced here from the file
// the way an IMAP server answers them; the engine's Dovecot tests do it against a real server.
import { describe, expect, it } from "vitest";
import { parseRawMessage } from "../../../electron/engine/bounce/index.js";
import { parseMessage } from "../../../electron/engine/mime/tree.js";
import { fixture } from "../../harness/fixtures.js";
import { asScannerSeesIt, comparable } from "../../harness/structure.js";

const FILES = ["real/lhost-postfix-01.eml", "real/lhost-sendmail-01.eml", "real/lhost-qmail-01.eml", "real/lhost-exchange2007-01.eml", "real/arf-01.eml", "synthetic/dsn-message-global.eml", "synthetic/mdn-read-receipt.eml", "synthetic/trap-forwarded-bounce-attachment.eml"];

describe("reports from IMAP parts", () => {
  it.each(FILES)("%s", (file) => {
    const raw = fixture(file);
    const parsed = parseMessage(raw.toString("latin1"));
    const { report: fromImap, requests } = asScannerSeesIt(parsed, parsed.headers);
    expect(comparable(fromImap)).toEqual(comparable(parseRawMessage(raw)));
    expect(requests.length).toBeGreaterThan(0);
  });

  it("takes an attached message's header from its ENVELOPE in BODYSTRUCTURE: nothing is fetched for it", () => {
    const parsed = parseMessage(fixture("real/lhost-sendmail-01.eml").toString("latin1"));
    const attached = parsed.root.children.find((c) => c.type === "message/rfc822");
    expect(attached?.message).toBeDefined();
    const { report, requests } = asScannerSeesIt(parsed, parsed.headers);
    expect(requests.filter((r) => r.part === attached?.part)).toEqual([]);
    expect(report.references[0]).toMatchObject({ source: "attached-message" });
    expect(report.references[0]?.messageId).toBe(parseRawMessage(fixture("real/lhost-sendmail-01.eml")).references[0]?.messageId);
  });
});
