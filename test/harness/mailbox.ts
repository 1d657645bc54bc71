/**
 * Generated mailboxes for the engine's tests and benchmarks: sent mail, and an inbox mixing
 * real bounces of it, backscatter for forged mail, auto-replies, challenges, traps and ordinary
 * mail. Every message says what should happen to it, so a test can check the outcome exactly.
 */
export type Expectation = "move" | "stay";

export interface SeedMessage {
  folder: "INBOX" | "Sent";
  raw: string;
  /** The message's own Message-ID (no brackets). */
  messageId: string;
  expect: Expectation;
  label: string;
  flags?: string[];
}

const USER = "alice@example.org";
const date = (i: number): string => new Date(Date.UTC(2026, 9, 1) + i * 3_600_000).toUTCString().replace("GMT", "+0000");

function original(id: string, to: string, subject: string, i: number): string {
  return `Message-ID: <${id}>\r\nDate: ${date(i)}\r\nFrom: Alice <${USER}>\r\nTo: ${to}\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nHello.\r\n`;
}

/** The Message-IDs a correct sweep moves, and those it leaves in the inbox, sorted. */
export function expectedOf(messages: readonly SeedMessage[]): { moving: string[]; staying: string[] } {
  const ids = (keep: (m: SeedMessage) => boolean): string[] =>
    messages
      .filter(keep)
      .map((m) => m.messageId)
      .sort();
  return { moving: ids((m) => m.expect === "move"), staying: ids((m) => m.folder === "INBOX" && m.expect === "stay") };
}

/** A Postfix-style DSN with the original attached. */
export function dsnBounce(ownId: string, originalId: string, to: string, subject: string, i: number): string {
  return [
    "Return-Path: <>",
    `Message-ID: <${ownId}>`,
    `Date: ${date(i + 1)}`,
    "From: Mail Delivery System <MAILER-DAEMON@mx.remote.example>",
    `To: ${USER}`,
    "Subject: Undelivered Mail Returned to Sender",
    "Auto-Submitted: auto-replied",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    "",
    "--B",
    "Content-Type: text/plain",
    "",
    "This is the mail system at host mx.remote.example.",
    "",
    `<${to}>: host mx.remote.example said: 550 5.1.1 User unknown`,
    "",
    "--B",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.remote.example",
    "",
    `Final-Recipient: rfc822; ${to}`,
    "Action: failed",
    "Status: 5.1.1",
    "Diagnostic-Code: smtp; 550 5.1.1 User unknown",
    "",
    "--B",
    "Content-Type: message/rfc822",
    "",
    original(originalId, to, subject, i),
    "--B--",
    "",
  ].join("\r\n");
}

function autoreply(ownId: string, from: string, inReplyTo: string, i: number): string {
  return `Message-ID: <${ownId}>\r\nDate: ${date(i + 1)}\r\nFrom: ${from}\r\nTo: ${USER}\r\nSubject: Automatic reply: hello\r\nAuto-Submitted: auto-replied\r\nIn-Reply-To: <${inReplyTo}>\r\nReferences: <${inReplyTo}>\r\nContent-Type: text/plain\r\n\r\nI am out of the office.\r\n`;
}

function plain(ownId: string, from: string, subject: string, i: number, extra = ""): string {
  return `Message-ID: <${ownId}>\r\nDate: ${date(i)}\r\nFrom: ${from}\r\nTo: ${USER}\r\nSubject: ${subject}\r\n${extra}Content-Type: text/plain\r\n\r\nHi Alice.\r\n`;
}

/**
 * A scenario with `n` of each case (deterministic). Covers: legit bounces, backscatter bounces,
 * legit and forged auto-replies, challenge-response, an unverifiable bounce, a legit bounce whose
 * Message-ID the provider rewrote, traps, and ordinary mail.
 */
export function scenario(n = 2): SeedMessage[] {
  const out: SeedMessage[] = [];
  for (let k = 0; k < n; k++) {
    const sentId = `sent-${k}@example.org`;
    const friend = `friend${k}@remote.example`;
    out.push({ folder: "Sent", raw: original(sentId, friend, `Plans ${k}`, k), messageId: sentId, expect: "stay", label: "sent" });
    out.push({
      folder: "INBOX",
      raw: dsnBounce(`legit-bounce-${k}@mx.remote.example`, sentId, friend, `Plans ${k}`, k),
      messageId: `legit-bounce-${k}@mx.remote.example`,
      expect: "stay",
      label: "legit bounce",
    });
    out.push({
      folder: "INBOX",
      raw: dsnBounce(`bs-bounce-${k}@mx.remote.example`, `forged-${k}@spam.example`, `victim${k}@target.example`, "Cheap pills", 100 + k),
      messageId: `bs-bounce-${k}@mx.remote.example`,
      expect: "move",
      label: "backscatter bounce",
    });
    out.push({
      folder: "INBOX",
      raw: autoreply(`legit-auto-${k}@remote.example`, friend, sentId, k),
      messageId: `legit-auto-${k}@remote.example`,
      expect: "stay",
      label: "legit auto-reply",
    });
    out.push({
      folder: "INBOX",
      raw: autoreply(`bs-auto-${k}@target.example`, `ooo${k}@target.example`, `forged-auto-${k}@spam.example`, 200 + k),
      messageId: `bs-auto-${k}@target.example`,
      expect: "move",
      label: "forged auto-reply",
    });
    out.push({
      folder: "INBOX",
      raw: plain(
        `challenge-${k}@cr.example`,
        `guard${k}@cr.example`,
        "Please confirm your message",
        300 + k,
        `Auto-Submitted: auto-replied\r\nIn-Reply-To: <forged-cr-${k}@spam.example>\r\n`,
      ),
      messageId: `challenge-${k}@cr.example`,
      expect: "move",
      label: "challenge for forged mail",
    });
    out.push({
      folder: "INBOX",
      raw: `Return-Path: <>\r\nMessage-ID: <unverifiable-${k}@mx.remote.example>\r\nDate: ${date(400 + k)}\r\nFrom: MAILER-DAEMON@mx.remote.example\r\nTo: ${USER}\r\nSubject: Mail delivery failed\r\nContent-Type: text/plain\r\n\r\nA message could not be delivered to someone${k}@remote.example.\r\n550 unknown user\r\n`,
      messageId: `unverifiable-${k}@mx.remote.example`,
      expect: "stay",
      label: "unverifiable bounce",
    });
    out.push({
      folder: "INBOX",
      raw: dsnBounce(`rewritten-${k}@mx.remote.example`, `PROVIDER-REWRITTEN-${k}@provider.example`, friend, `Plans ${k}`, k),
      messageId: `rewritten-${k}@mx.remote.example`,
      expect: "stay",
      label: "legit bounce, rewritten id",
    });
    out.push({
      folder: "INBOX",
      raw: plain(`ordinary-${k}@remote.example`, friend, `Re: Plans ${k}`, 500 + k, `In-Reply-To: <${sentId}>\r\n`),
      messageId: `ordinary-${k}@remote.example`,
      expect: "stay",
      label: "ordinary reply",
    });
    out.push({
      folder: "INBOX",
      raw: plain(`trap-fwd-${k}@remote.example`, friend, "Fwd: Undelivered Mail Returned to Sender", 600 + k),
      messageId: `trap-fwd-${k}@remote.example`,
      expect: "stay",
      label: "trap: forwarded bounce",
    });
  }
  return out;
}

/**
 * A message the user flagged \Deleted in another program and has not purged: a plain EXPUNGE
 * (imapflow's own MOVE fallback without UIDPLUS) would destroy it. Every move test keeps one.
 */
export const USERS_OWN_DELETED: SeedMessage = {
  folder: "INBOX",
  raw: "Message-ID: <users-own-deleted@example.org>\r\nFrom: bob@remote.example\r\nSubject: old\r\n\r\nI flagged this myself.\r\n",
  messageId: "users-own-deleted@example.org",
  expect: "stay",
  label: "the user's own \\Deleted message",
  flags: ["\\Deleted"],
};
