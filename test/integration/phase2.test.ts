// What phase 2 reads, against a real Dovecot: text parts in two looks (a partial FETCH from where
// the first look ended) and, for messages the envelope already shows to be reports, the extra
// header fields in the same FETCH as their parts. The Report must be the one the whole file gives.
import { describe, expect, it } from "vitest";
import { parseRawMessage, type SectionRead } from "../../electron/engine/bounce/index.js";
import { FIRST_LOOK } from "../../electron/engine/bounce/parts.js";
import { ImapSession } from "../../electron/engine/imap/session.js";
import type { Account } from "../../shared/model.js";
import { liveEngine } from "../harness/engine.js";
import { fixture } from "../harness/fixtures.js";
import { seed } from "../harness/imap.js";
import type { SeedMessage } from "../harness/mailbox.js";

const SENT_ID = "kept-1@mail.example.org";
const sent = `Message-ID: <${SENT_ID}>\r\nDate: Mon, 09 Nov 2026 08:00:00 +0000\r\nFrom: Alice <alice@example.org>\r\nTo: bob@remote.example\r\nSubject: Figures\r\n\r\nHere they are.\r\n`;

/**
 * A report whose only reference to the user's mail is its own X-Original-Message-ID field (a
 * gateway rewrote the copy's Message-ID): the field comes with the parts, and must not be lost.
 */
const gatewayDsn = [
  "Return-Path: <>",
  "Message-ID: <dsn-gw-1@gw.remote.example>",
  "Date: Mon, 09 Nov 2026 08:05:00 +0000",
  "From: MAILER-DAEMON@gw.remote.example",
  "To: alice@example.org",
  "Subject: Undelivered Mail Returned to Sender",
  `X-Original-Message-ID: <${SENT_ID}>`,
  "MIME-Version: 1.0",
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
  "",
  "--b1",
  "Content-Type: text/plain",
  "",
  "Your message could not be delivered.",
  "--b1",
  "Content-Type: message/delivery-status",
  "",
  "Reporting-MTA: dns; gw.remote.example",
  "",
  "Final-Recipient: rfc822; bob@remote.example",
  "Action: failed",
  "Status: 5.1.1",
  "",
  "--b1",
  "Content-Type: text/rfc822-headers",
  "",
  "Message-ID: <REWRITTEN-77@gw.remote.example>",
  "From: Alice <alice@example.org>",
  "To: bob@remote.example",
  "Subject: Figures",
  "",
  "--b1--",
  "",
].join("\r\n");

const FILES = ["synthetic/backscatter-exim-large-copy.eml", "real/lhost-postfix-49.eml", "real/lhost-mxlogic-01.eml", "real/lhost-office365-09.eml"];
const inbox: SeedMessage[] = FILES.map((f) => ({ folder: "INBOX", raw: fixture(f).toString("latin1"), messageId: f, expect: "stay", label: f }));
const headerFieldRounds: number[][] = [];
const sectionCalls: { uids: number[]; requests: SectionRead[]; fields: number }[] = [];

/** Sessions that note every separate round of header fields and every phase 2 FETCH. */
async function countingSession(account: Account, secret: string): Promise<ImapSession> {
  const session = await ImapSession.open({ account, secret });
  const headerFields = session.headerFields.bind(session);
  const sections = session.sections.bind(session);
  session.headerFields = async (uids, fields) => {
    headerFieldRounds.push([...uids]);
    return headerFields(uids, fields);
  };
  session.sections = async (uids, requests, fields = []) => {
    sectionCalls.push({ uids: [...uids], requests: [...requests], fields: fields.length });
    return sections(uids, requests, fields);
  };
  return session;
}

const live = liveEngine(
  (d) =>
    seed(d, [
      { folder: "Sent", raw: sent, messageId: SENT_ID, expect: "stay", label: "sent" },
      ...inbox,
      { folder: "INBOX", raw: gatewayDsn, messageId: "dsn-gw-1@gw.remote.example", expect: "stay", label: "gateway dsn" },
    ]),
  {},
  { openSession: countingSession },
);

describe("phase 2 against Dovecot", () => {
  it("gives each report the references of the whole file, reads on only where needed, and brings the extra fields with the parts", async () => {
    const { engine, accountId } = live;
    const result = await engine.scan({ accountId, listFlagged: true });
    expect(result.errors).toEqual([]);
    const items = await engine.review({ accountId });
    for (const file of FILES) {
      const whole = parseRawMessage(fixture(file));
      const subject = whole.original.subject;
      const item = items.find((i) => whole.references.length > 0 && i.originalMessageIds.includes(whole.references[0]?.messageId ?? "-"));
      expect(item, `${file} (${subject ?? ""})`).toBeDefined();
      expect(item?.originalMessageIds, file).toEqual(whole.references.map((r) => r.messageId));
    }
    // The gateway's report is the user's own mail coming back: its only matching reference is a header field.
    const gateway = items.find((i) => i.messageId === "dsn-gw-1@gw.remote.example");
    expect(gateway).toMatchObject({ verdict: "legit" });
    expect(gateway?.originalMessageIds).toContain(SENT_ID);
    // Every seeded message is a report by its envelope and structure: no separate round of header
    // fields; they came with the first look.
    expect(headerFieldRounds).toEqual([]);
    expect(sectionCalls.filter((c) => !c.requests.some((r) => (r.start ?? 0) > 0)).every((c) => c.fields > 0)).toBe(true);
    // The nested original and the cut header were read on from where the first look ended...
    const secondLooks = sectionCalls.filter((c) => c.requests.some((r) => r.start === FIRST_LOOK));
    const uidOf = (id: string): number | undefined => items.find((i) => i.originalMessageIds.includes(id))?.uid;
    const postfix49 = uidOf("1409050600.12984636501178305590.JavaMail.root@mz-cb000p.noc-kyoto2jo.ocn.ad.jp");
    const mxlogic = uidOf("0AE85451-E088-48AE-804E-1F4B713B6C63@example.jp");
    expect(secondLooks.flatMap((c) => c.uids)).toEqual(expect.arrayContaining([postfix49, mxlogic]));
    // ...while of the 21 KB backscatter only the first look was read: its prose and the copied header.
    const exim = items.find((i) => i.originalMessageIds.includes("4kq2x9f1ab.spam@spammer7.example"));
    expect(exim).toMatchObject({ verdict: "backscatter" });
    const eximCalls = sectionCalls.filter((c) => c.uids.includes(exim?.uid ?? -1));
    expect(eximCalls.flatMap((c) => c.requests)).toEqual([{ part: "1", section: "body", maxBytes: FIRST_LOOK }]);
  });
});
