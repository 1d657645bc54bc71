// Writes the synthetic evidence fixtures (test/fixtures/synthetic/evidence-*.eml) and the DKIM
// public key the tests publish on their loopback DNS server. Run once by hand; the output is
// committed. The private key is thrown away: only the signature and the public key are kept.
import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { dkimSign } from "mailauth/lib/dkim/sign.js";

const dir = join(import.meta.dirname, "..", "test", "fixtures", "synthetic");
const MARK = "X-Fixture: synthetic, written for Backscatter Sweeper's tests in the style of the real system";
const crlf = (lines) => lines.join("\r\n") + "\r\n";

/** A Postfix-style DSN to `to` about `original` (whole message text), reported by `mta`. */
function dsn({
  id,
  to = "alice@example.test",
  mta = "mx.remote.test",
  date,
  recipient = "victim@remote.test",
  status = "5.1.1",
  diagnostic = "550 5.1.1 <victim@remote.test>: Recipient address rejected: User unknown",
  original,
  originalType = "message/rfc822",
}) {
  return crlf([
    MARK,
    "Return-Path: <>",
    `From: Mail Delivery System <MAILER-DAEMON@${mta}>`,
    `To: ${to}`,
    "Subject: Undelivered Mail Returned to Sender",
    `Date: ${date}`,
    `Message-ID: <${id}@${mta}>`,
    "Auto-Submitted: auto-replied",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="=_ev"',
    "",
    "--=_ev",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    `This is the mail system at host ${mta}.`,
    "",
    "I'm sorry to have to inform you that your message could not",
    "be delivered to one or more recipients. It's attached below.",
    "",
    `<${recipient}>: ${diagnostic}`,
    "",
    "--=_ev",
    "Content-Type: message/delivery-status",
    "",
    `Reporting-MTA: dns; ${mta}`,
    "",
    `Final-Recipient: rfc822; ${recipient}`,
    "Action: failed",
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${diagnostic}`,
    "",
    "--=_ev",
    `Content-Type: ${originalType}`,
    "",
    original.replace(/\r\n$/, ""),
    "",
    "--=_ev--",
  ]);
}

const spam = (id, received, extra = []) =>
  crlf([
    ...received,
    ...extra,
    "From: Alice <alice@example.test>",
    "To: victim@remote.test",
    "Subject: Cheap watches",
    "Date: Mon, 30 Nov 2026 09:59:00 +0000",
    `Message-ID: <${id}>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "Buy cheap watches now.",
  ]);

const write = (name, text) => writeFileSync(join(dir, name), text);
const when = "Mon, 30 Nov 2026 10:00:05 +0000";

// 1. Spam sent through the user's own relay by a client that signed in (ESMTPSA).
write(
  "evidence-own-relay-esmtpsa.eml",
  dsn({
    id: "ev-relay",
    date: when,
    original: spam("spam-relay@laptop.local", [
      "Received: from smtp.example.test (smtp.example.test [192.0.2.10]) by mx.remote.test (Postfix) with ESMTPS id 4AB12; Mon, 30 Nov 2026 10:00:02 +0000",
      "Received: from [10.1.2.3] (unknown [198.51.100.77]) by smtp.example.test (Postfix) with ESMTPSA id 3C9F0; Mon, 30 Nov 2026 10:00:01 +0000",
    ]),
  }),
);

// 2. Forged: handed to the outside world by an IP the domain's SPF does not allow (-all).
write(
  "evidence-spf-fail.eml",
  dsn({
    id: "ev-spf",
    date: when,
    original: spam("x7k2@bot.spam.test", [
      "Received: from bot.spam.test (unknown [203.0.113.66]) by mx.remote.test (Postfix) with ESMTP id 9F1E2; Mon, 30 Nov 2026 10:00:02 +0000",
    ]),
  }),
);

// 3. A real bounce of the user's mail to a BATV-signed return address (day 787 = 2026-11-30).
write(
  "evidence-batv-signed.eml",
  dsn({
    id: "ev-batv",
    to: "prvs=1787a1b2c3=alice@example.test",
    date: when,
    original: spam("lost-id@example.test", [
      "Received: from smtp.example.test (smtp.example.test [192.0.2.10]) by mx.remote.test (Postfix) with ESMTPS id 7A; Mon, 30 Nov 2026 10:00:02 +0000",
    ]),
  }),
);

// 4. Backscatter to the bare address, from a server on Backscatterer.org's list.
write(
  "evidence-backscatterer-listed.eml",
  dsn({
    id: "ev-listed",
    mta: "mx.bounce.test",
    date: when,
    original: spam("b0t@spam.test", [
      "Received: from bot2.spam.test (unknown [203.0.113.67]) by mx.bounce.test (Postfix) with ESMTP id 5D; Mon, 30 Nov 2026 10:00:02 +0000",
    ]),
  }),
);

// 5. Only the original's header came back (text/rfc822-headers), with a signature of the user's domain.
write(
  "evidence-headers-only.eml",
  dsn({
    id: "ev-hdrs",
    date: when,
    originalType: "text/rfc822-headers",
    original: crlf([
      "Received: from mail.spam.test (unknown [203.0.113.68]) by mx.remote.test (Postfix) with ESMTP id 6E; Mon, 30 Nov 2026 10:00:02 +0000",
      "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test; s=sel2026; h=from:to:subject; bh=AAAA; b=BBBB",
      "From: Alice <alice@example.test>",
      "To: victim@remote.test",
      "Subject: Cheap watches",
      "Date: Mon, 30 Nov 2026 09:59:00 +0000",
      "Message-ID: <hdrs-only@spam.test>",
    ]),
  }),
);

// 6. Microsoft: the user's own account blocked for sending ("bad outbound sender", 5.1.8), as Exchange Online words it.
write(
  "evidence-microsoft-restricted.eml",
  dsn({
    id: "ev-ms",
    mta: "DM6PR01MB1234.namprd01.prod.outlook.com",
    date: when,
    status: "5.1.8",
    diagnostic: "550 5.1.8 Access denied, bad outbound sender. AS(42004) [DM6PR01MB1234.namprd01.prod.outlook.com]",
    original: spam("ms-out@example.test", [
      "Received: from DM6PR01MB1234.namprd01.prod.outlook.com ([fe80::1]) by DM6PR01MB1234.namprd01.prod.outlook.com ([fe80::1%5]) with mapi id 15.20.1234.000; Mon, 30 Nov 2026 10:00:01 +0000",
    ]),
  }),
);

// 7. The user's own DKIM signature on a whole attached original: it verifies against the published key.
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
const signedOriginal = spam("signed-out@example.test", [
  "Received: from out.example.test (out.example.test [192.0.2.20]) by mx.remote.test (Postfix) with ESMTPS id 8B; Mon, 30 Nov 2026 10:00:02 +0000",
]);
const signed = await dkimSign(signedOriginal, {
  canonicalization: "relaxed/relaxed",
  signTime: new Date("2026-11-30T09:59:30Z"),
  signatureData: [{ signingDomain: "example.test", selector: "sel2026", privateKey: privateKey.export({ type: "pkcs1", format: "pem" }) }],
});
write("evidence-own-dkim.eml", dsn({ id: "ev-dkim", date: when, original: signed.signatures + signedOriginal }));
const der = publicKey.export({ type: "spki", format: "der" }).toString("base64");
writeFileSync(join(dir, "evidence-dkim-key.txt"), `v=DKIM1; k=rsa; p=${der}\n`);
