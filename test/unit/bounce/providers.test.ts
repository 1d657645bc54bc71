// One real sample per MTA family or provider (from Sisimai's BSD-2 corpus, test/fixtures/real).
import { describe, expect, it } from "vitest";
import { ids, reportOf } from "../../harness/fixtures.js";

interface Expectation {
  file: string;
  kind: string;
  format: string;
  id: string | null;
  recipient: string;
  status?: string;
}

const REAL: Expectation[] = [
  { file: "lhost-postfix-01.eml", kind: "bounce", format: "postfix", id: null, recipient: "r@p351355.pool.example.ne.jp" },
  { file: "lhost-exim-01.eml", kind: "bounce", format: "exim", id: "E1P1ce6-000Egt-GZ@e1.example.org", recipient: "kijitora@example.ed.jp" },
  {
    file: "lhost-qmail-01.eml",
    kind: "bounce",
    format: "qmail",
    id: "000000000.9999999999999.JavaMail.postmaster@mailhub",
    recipient: "kijitora@example.ne.jp",
    status: "5.5.0",
  },
  {
    file: "lhost-sendmail-01.eml",
    kind: "bounce",
    format: "sendmail",
    id: "E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org",
    recipient: "userunknown@bouncehammer.jp",
    status: "5.1.1",
  },
  { file: "lhost-exchange2007-01.eml", kind: "bounce", format: "exchange", id: null, recipient: "mikeneko@example.co.jp" },
  { file: "lhost-office365-01.eml", kind: "bounce", format: "exchange", id: "FFFFFFFF.EEEEEEEE@example.ed.jp", recipient: "kijitora@example.com" },
  { file: "lhost-outlook-01.eml", kind: "bounce", format: "exchange", id: "BLU436-SMTP6645ECA6E7FEFFE86D040BBA770@phx.gbl", recipient: "kijitora@example.jp" },
  { file: "lhost-gmail-01.eml", kind: "bounce", format: "google", id: "D992C2C3-F175-4C4D-97E2-53A90E4E5BF5@gmail.com", recipient: "userunknown@example.jp" },
  {
    file: "lhost-yahoo-01.eml",
    kind: "bounce",
    format: "yahoo",
    id: "6AE6249A-E7A8-4980-862C-F499F6B8E7C5@y.example.co.jp",
    recipient: "kijitora@example.org",
  },
  { file: "lhost-notes-01.eml", kind: "bounce", format: "lotus", id: "000000000.0000000000000.notes@example.co.jp", recipient: "kijitora@u1.example.co.jp" },
  { file: "lhost-domino-01.eml", kind: "bounce", format: "lotus", id: null, recipient: "kijitora@example.jp" },
  { file: "lhost-courier-01.eml", kind: "bounce", format: "courier", id: null, recipient: "kijitora@example.co.jp" },
  {
    file: "lhost-amazonses-01.eml",
    kind: "bounce",
    format: "amazon",
    id: "000001321defbd2a-788e31c8-2be1-422f-a8d4-cf7765cc9ed7-000000@email.amazonses.com",
    recipient: "shironeko@example.co.jp",
  },
  {
    file: "lhost-amazonses-10.eml",
    kind: "bounce",
    format: "amazon",
    id: "01010157e6083857-2c73eed0-71f8-47d1-ab77-c4646f9d776d-000000",
    recipient: "bounce@simulator.amazonses.com",
  },
  { file: "lhost-opensmtpd-01.eml", kind: "bounce", format: "opensmtpd", id: null, recipient: "apdugoaidugoaidugoaeiudggadi@gmail.com" },
  // Newer than Sisimai 4.25 (our oracle finds nothing in these): checked by hand.
  {
    file: "lhost-dragonfly-01.eml",
    kind: "bounce",
    format: "dragonfly",
    id: "66681288.e06d1.3824794@df.example.jp",
    recipient: "pseudo-local-part@google.example.com",
    status: "5.7.26",
  },
  { file: "lhost-mimecast-01.eml", kind: "bounce", format: "mimecast", id: null, recipient: "" },
  { file: "lhost-fml-02.eml", kind: "bounce", format: "fml", id: "200504292334.j5290000000022@aosima.example.org", recipient: "" },
  { file: "rfc3834-01.eml", kind: "autoreply", format: "rfc3834", id: null, recipient: "kijitora@example.net" },
  { file: "rfc3834-03.eml", kind: "autoreply", format: "autoreply", id: null, recipient: "kijitora@apple.example.com" },
];

describe("real reports, one per provider", () => {
  it.each(REAL)("$file: $kind from $format", (e) => {
    const report = reportOf(`real/${e.file}`);
    expect(report.kind).toBe(e.kind);
    expect(report.format).toBe(e.format);
    if (e.id) expect(ids(report)).toContain(e.id);
    if (e.recipient) expect(report.recipients.map((r) => r.address)).toContain(e.recipient);
    if (e.status) expect(report.recipients[0]?.status).toBe(e.status);
  });

  it("tags where each reference came from, attached original first", () => {
    const report = reportOf("real/lhost-sendmail-01.eml");
    expect(report.references[0]).toEqual({ messageId: "E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org", source: "attached-message" });
    expect(reportOf("real/lhost-qmail-01.eml").references[0]?.source).toBe("inline-copy");
  });

  it("reads the original's From, To and Subject and the reporting MTA", () => {
    const report = reportOf("real/lhost-qmail-01.eml");
    expect(report.original).toMatchObject({ from: "nekochan@example.jp", to: ["kuroneko@example.com"], subject: "Message" });
    expect(report.reportingMta).toBe("mx4.example.jp");
  });

  it("calls an ARF report a complaint, never a bounce", () => {
    const report = reportOf("real/arf-01.eml");
    expect(report.kind).toBe("complaint");
    expect(report.format).toBe("arf");
  });

  it("recognises rb-issue-368-bug.eml, a bounce Sisimai misses, by the original it quotes", () => {
    const report = reportOf("real/rb-issue-368-bug.eml");
    expect(report.kind).toBe("bounce");
    expect(report.references.length).toBeGreaterThan(0);
  });

  it.each(["is-not-bounce-01.eml", "is-not-bounce-02.eml"])("%s is not a bounce", (file) => {
    expect(reportOf(`real/${file}`).kind).toBe("not-automated");
  });
});
