/**
 * A mailbox where the user's password was stolen: forged backscatter, real bounces of the user's
 * own mail, and bounces of spam that left through the user's own relay (ESMTPSA), signed with the
 * user's DKIM key, or reported by their provider as a blocked sender. With the DNS zone that
 * answers the evidence's questions on loopback.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SeedMessage } from "./mailbox.js";
import type { DnsZone } from "./dns.js";
import { fixture } from "./fixtures.js";
import { FIXTURES } from "./paths.js";

const inbox = (name: string, messageId: string, expect: SeedMessage["expect"], label: string): SeedMessage => ({
  folder: "INBOX",
  raw: fixture(`synthetic/${name}`).toString("latin1"),
  messageId,
  expect,
  label,
});

/** A real bounce of mail the user sent (in Sent), whose original went out through smtp.example.test. */
function realBounce(): string {
  const original = [
    "Received: from smtp.example.test (smtp.example.test [192.0.2.10]) by mx.remote.test (Postfix) with ESMTPS id 11; Mon, 30 Nov 2026 08:00:02 +0000",
    "Received: from [10.0.0.5] (home.example.net [198.51.100.5]) by smtp.example.test (Postfix) with ESMTPSA id 10; Mon, 30 Nov 2026 08:00:01 +0000",
    "Message-ID: <real-1@example.test>",
    "Date: Mon, 30 Nov 2026 08:00:00 +0000",
    "From: Alice <alice@example.test>",
    "To: bob@remote.test",
    "Subject: Lunch on Friday",
    "",
    "See you there.",
  ].join("\r\n");
  return [
    "Return-Path: <>",
    "Message-ID: <real-bounce-1@mx.remote.test>",
    "Date: Mon, 30 Nov 2026 08:00:05 +0000",
    "From: Mail Delivery System <MAILER-DAEMON@mx.remote.test>",
    "To: alice@example.test",
    "Subject: Undelivered Mail Returned to Sender",
    "Auto-Submitted: auto-replied",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="R"',
    "",
    "--R",
    "Content-Type: text/plain",
    "",
    "<bob@remote.test>: 550 5.1.1 User unknown",
    "",
    "--R",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.remote.test",
    "",
    "Final-Recipient: rfc822; bob@remote.test",
    "Action: failed",
    "Status: 5.1.1",
    "",
    "--R",
    "Content-Type: message/rfc822",
    "",
    original,
    "--R--",
    "",
  ].join("\r\n");
}

const SENT =
  "Message-ID: <real-1@example.test>\r\nDate: Mon, 30 Nov 2026 08:00:00 +0000\r\nFrom: Alice <alice@example.test>\r\nTo: bob@remote.test\r\nSubject: Lunch on Friday\r\n\r\nSee you there.\r\n";

/** Every message, with what must happen to it; "account-misuse" ones are labelled so. */
export function misuseMailbox(): SeedMessage[] {
  return [
    { folder: "Sent", raw: SENT, messageId: "real-1@example.test", expect: "stay", label: "sent" },
    { folder: "INBOX", raw: realBounce(), messageId: "real-bounce-1@mx.remote.test", expect: "stay", label: "real bounce" },
    inbox("evidence-batv-signed.eml", "ev-batv@mx.remote.test", "stay", "real bounce, BATV"),
    inbox("evidence-spf-fail.eml", "ev-spf@mx.remote.test", "move", "backscatter, SPF fail"),
    inbox("evidence-backscatterer-listed.eml", "ev-listed@mx.bounce.test", "move", "backscatter, listed reporter"),
    inbox("evidence-own-relay-esmtpsa.eml", "ev-relay@mx.remote.test", "stay", "account-misuse: own relay"),
    inbox("evidence-own-dkim.eml", "ev-dkim@mx.remote.test", "stay", "account-misuse: own DKIM"),
    inbox("evidence-microsoft-restricted.eml", "ev-ms@dm6pr01mb1234.namprd01.prod.outlook.com", "stay", "account-misuse: restricted"),
  ];
}

/** The zone that answers the mailbox's questions: the user's SPF and DKIM key, the reporters, Backscatterer. */
export function misuseZone(): DnsZone {
  return {
    txt: [
      ["example.test", "v=spf1 ip4:192.0.2.0/24 -all"],
      ["sel2026._domainkey.example.test", readFileSync(join(FIXTURES, "synthetic", "evidence-dkim-key.txt"), "utf8").trim()],
    ],
    a: [
      ["mx.bounce.test", "203.0.113.9"],
      ["mx.remote.test", "203.0.113.10"],
      ["9.113.0.203.ips.backscatterer.org", "127.0.0.2"],
    ],
    mx: [["example.test", "mx.example.test", 10]],
    local: ["test", "example.org", "backscatterer.org"],
  };
}
