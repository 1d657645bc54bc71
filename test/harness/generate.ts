/**
 * A large, realistic generated mailbox with known ground truth, for the acceptance script and
 * the benchmark: sent mail, and an inbox where most mail is ordinary and the rest is bounces of
 * real mail, backscatter in several MTA styles and languages, auto-replies, challenges, read
 * receipts, complaints, traps and unverifiable bounces. A seeded PRNG makes it repeatable.
 */
import type { SeedMessage } from "./mailbox.js";

const USER = "alice@example.org";

/** Mulberry32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ["invoice", "meeting", "plans", "report", "lunch", "budget", "draft", "holiday", "photos", "contract", "question", "update"];
const date = (t: number): string => new Date(t).toUTCString().replace("GMT", "+0000");
const START = Date.UTC(2026, 0, 5);

function original(id: string, to: string, subject: string, t: number, body = "Hello, see below.\r\n"): string {
  return `Return-Path: <${USER}>\r\nMessage-ID: <${id}>\r\nDate: ${date(t)}\r\nFrom: Alice <${USER}>\r\nTo: ${to}\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`;
}

type Style = (own: string, origId: string, to: string, subject: string, t: number, body?: string) => string;

const postfixDsn: Style = (own, origId, to, subject, t, body = "x".repeat(200) + "\r\n") =>
  [
    "Return-Path: <>",
    `Message-ID: <${own}>`,
    `Date: ${date(t + 60_000)}`,
    "From: MAILER-DAEMON@mx1.remote.example (Mail Delivery System)",
    `To: ${USER}`,
    "Subject: Undelivered Mail Returned to Sender",
    "Auto-Submitted: auto-replied",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="=_B"',
    "",
    "--=_B",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "This is the mail system at host mx1.remote.example.",
    "",
    "I'm sorry to have to inform you that your message could not",
    "be delivered to one or more recipients. It's attached below.",
    "",
    `<${to}>: host mx.remote.example said: 550 5.1.1 <${to}>: Recipient address rejected: User unknown`,
    "",
    "--=_B",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx1.remote.example",
    "",
    `Final-Recipient: rfc822; ${to}`,
    "Action: failed",
    "Status: 5.1.1",
    "Diagnostic-Code: smtp; 550 5.1.1 User unknown",
    "",
    "--=_B",
    "Content-Type: message/rfc822",
    "",
    original(origId, to, subject, t, body),
    "--=_B--",
    "",
  ].join("\r\n");

const eximText: Style = (own, origId, to, subject, t, body) =>
  `Return-Path: <>\r\nMessage-ID: <${own}>\r\nDate: ${date(t + 60_000)}\r\nFrom: Mail Delivery System <Mailer-Daemon@exim.remote.example>\r\nTo: ${USER}\r\nSubject: Mail delivery failed: returning message to sender\r\nAuto-Submitted: auto-replied\r\nX-Failed-Recipients: ${to}\r\n\r\nThis message was created automatically by mail delivery software.\r\n\r\nA message that you sent could not be delivered to one or more of its\r\nrecipients. This is a permanent error. The following address(es) failed:\r\n\r\n  ${to}\r\n    SMTP error from remote mail server after RCPT TO:<${to}>:\r\n    550 5.1.1 No such user\r\n\r\n------ This is a copy of the message, including all the headers. ------\r\n\r\n${original(origId, to, subject, t, body)}`;

const qmailText: Style = (own, origId, to, subject, t, body) =>
  `Return-Path: <>\r\nMessage-ID: <${own}>\r\nDate: ${date(t + 60_000)}\r\nFrom: MAILER-DAEMON@qmail.remote.example\r\nTo: ${USER}\r\nSubject: failure notice\r\n\r\nHi. This is the qmail-send program at qmail.remote.example.\r\nI'm afraid I wasn't able to deliver your message to the following addresses.\r\nThis is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n<${to}>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n\r\n--- Below this line is a copy of the message.\r\n\r\n${original(origId, to, subject, t, body)}`;

const exchangeHeaders: Style = (own, origId, to, subject, t) =>
  [
    `Message-ID: <${own}>`,
    `Date: ${date(t + 60_000)}`,
    "From: Microsoft Outlook <postmaster@corp.remote.example>",
    `To: ${USER}`,
    `Subject: Undeliverable: ${subject}`,
    "Auto-Submitted: auto-replied",
    "X-MS-Exchange-Message-Is-Ndr:",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="ex"',
    "",
    "--ex",
    "Content-Type: text/plain; charset=utf-8",
    "",
    `Delivery has failed to these recipients or groups:\r\n\r\n${to}\r\nThe email address you entered couldn't be found.`,
    "",
    "--ex",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns;corp.remote.example",
    "",
    `Final-Recipient: rfc822;${to}`,
    "Action: failed",
    "Status: 5.1.10",
    "Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound",
    "",
    "--ex",
    "Content-Type: text/rfc822-headers",
    "",
    original(origId, to, subject, t).split("\r\n\r\n")[0] ?? "",
    "",
    "--ex--",
    "",
  ].join("\r\n");

const germanText: Style = (own, origId, to, subject, t, body) =>
  `Return-Path: <>\r\nMessage-ID: <${own}>\r\nDate: ${date(t + 60_000)}\r\nFrom: Mail Delivery System <MAILER-DAEMON@mx.remote.de>\r\nTo: ${USER}\r\nSubject: =?utf-8?q?Unzustellbar=3A_?=${subject}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nIhre Nachricht konnte nicht zugestellt werden an ${to}.\r\n\r\n------ Originalnachricht ------\r\n${original(origId, to, subject, t, body)}`;

const autoreply: Style = (own, origId, to, _subject, t) =>
  `Message-ID: <${own}>\r\nDate: ${date(t + 60_000)}\r\nFrom: ${to}\r\nTo: ${USER}\r\nSubject: Automatic reply: away\r\nAuto-Submitted: auto-replied\r\nIn-Reply-To: <${origId}>\r\nReferences: <${origId}>\r\nContent-Type: text/plain\r\n\r\nI am out of the office until next week.\r\n`;

const challenge: Style = (own, origId, to, _subject, t) =>
  `Message-ID: <${own}>\r\nDate: ${date(t + 60_000)}\r\nFrom: ${to}\r\nTo: ${USER}\r\nSubject: Please confirm your message\r\nAuto-Submitted: auto-replied\r\nIn-Reply-To: <${origId}>\r\nContent-Type: text/plain\r\n\r\nI use a challenge-response filter. Click the link below to verify you are a person.\r\n`;

const STYLES: Style[] = [postfixDsn, eximText, qmailText, exchangeHeaders, germanText, autoreply, challenge];

const NAMES = ["Maria Lopez", "Jan de Vries", "Akira Tanaka", "Chloé Martin", "Sam Patel", "Olga Ivanova", "Lukas Weber", "Ana Souza"];

/**
 * How large generated bodies are. "small" keeps CI fast; "realistic" gives the sizes real
 * mailboxes have (plain mail of a few KB, HTML newsletters of tens of KB, one in five with an
 * attachment of up to 300 KB; bounces carrying the spam they answer), which is what a scanner
 * that downloads whole messages pays for.
 */
export type BodySizes = "small" | "realistic";

const LOREM = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ";
const TEXT_POOL = LOREM.repeat(Math.ceil(65_536 / LOREM.length));
const BASE64_POOL = (
  Buffer.alloc(400 * 1024, "%PDF-1.4 generated attachment stream 0123456789 ")
    .toString("base64")
    .match(/.{1,76}/g) ?? []
).join("\r\n");

function filler(pool: string, min: number, max: number, rnd: () => number): string {
  return pool.slice(0, min + Math.floor(rnd() * (max - min)));
}

interface Bodies {
  text: string;
  html: string;
  attachment: string;
}

function bodies(sizes: BodySizes, rnd: () => number): Bodies {
  if (sizes === "small") {
    const text = LOREM.repeat(2 + Math.floor(rnd() * 30));
    return { text, html: `<p>${text}</p>`, attachment: Buffer.from("%PDF-1.4 generated attachment ".repeat(20)).toString("base64") };
  }
  const text = filler(TEXT_POOL, 1_000, 6_000, rnd);
  return { text, html: `<p>${filler(TEXT_POOL, 10_000, 40_000, rnd)}</p>`, attachment: filler(BASE64_POOL, 30_000, 300_000, rnd) };
}

/** The body of ordinary mail as people and newsletters send it: plain, HTML alternative, attachments. */
function ordinaryBody(b: Bodies, kind: number): string {
  const html = `<html><body>${b.html}</body></html>`;
  const alternative = (bd: string): string =>
    `Content-Type: multipart/alternative; boundary="${bd}"\r\n\r\n--${bd}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${b.text}\r\n--${bd}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n--${bd}--\r\n`;
  if (kind < 0.4) return `Content-Type: text/plain; charset=utf-8\r\n\r\n${b.text}\r\n`;
  if (kind < 0.8) return alternative("alt");
  return `Content-Type: multipart/mixed; boundary="mix"\r\n\r\n--mix\r\n${alternative("alt")}\r\n--mix\r\nContent-Type: application/pdf; name="document.pdf"\r\nContent-Disposition: attachment; filename="document.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b.attachment}\r\n--mix--\r\n`;
}

function ordinary(own: string, t: number, rnd: () => number, repliesTo: string | null, sizes: BodySizes): string {
  const name = NAMES[Math.floor(rnd() * NAMES.length)] ?? "Sam Patel";
  const who = `${name} <person${Math.floor(rnd() * 500)}@remote${Math.floor(rnd() * 40)}.example>`;
  const subject = `${repliesTo ? "Re: " : ""}${WORDS[Math.floor(rnd() * WORDS.length)]} ${Math.floor(rnd() * 1000)}`;
  const extra = repliesTo ? `In-Reply-To: <${repliesTo}>\r\n` : rnd() < 0.3 ? "List-Unsubscribe: <mailto:leave@news.example>\r\nPrecedence: bulk\r\n" : "";
  return `Received: from mx.remote.example by mx.example.org; ${date(t)}\r\nMessage-ID: <${own}>\r\nDate: ${date(t)}\r\nFrom: ${who}\r\nTo: Alice <${USER}>\r\nSubject: ${subject}\r\n${extra}MIME-Version: 1.0\r\n${ordinaryBody(bodies(sizes, rnd), rnd())}`;
}

export interface GeneratedMailbox {
  sent: SeedMessage[];
  inbox: SeedMessage[];
}

/** A generated mailbox produced one message at a time, for mailboxes too large to hold. */
export interface MailboxStream {
  sent(): Generator<SeedMessage>;
  /** Inbox messages `from` (inclusive) to `to` (exclusive), the same each time they are asked for. */
  inbox(from?: number, to?: number): Generator<SeedMessage>;
}

interface SentMeta {
  id: string;
  to: string;
  subject: string;
  t: number;
}

/**
 * `sentCount` sent messages and an inbox of which ~62% is ordinary, ~25% backscatter, ~8% real
 * bounces and auto-replies of sent mail, ~2% bounces whose original Message-ID the provider
 * rewrote, ~2% unverifiable, ~1% traps (forwarded bounces, list posts). Message i of the inbox
 * depends only on the seed and i.
 */
export function mailboxStream(sentCount: number, { seed = 42, sizes = "small" }: { seed?: number; sizes?: BodySizes } = {}): MailboxStream {
  const rnd = prng(seed);
  const sentMeta: SentMeta[] = [];
  for (let i = 0; i < sentCount; i++) {
    const t = START + i * 600_000;
    const id = `s${i}.${Math.floor(rnd() * 1e9).toString(36)}@mail.example.org`;
    const to = `friend${Math.floor(rnd() * 300)}@remote${Math.floor(rnd() * 40)}.example`;
    sentMeta.push({ id, to, subject: `${WORDS[Math.floor(rnd() * WORDS.length)]} ${i}`, t });
  }
  const sentSpan = sentCount * 600_000;
  return {
    *sent() {
      for (const m of sentMeta) yield { folder: "Sent", raw: original(m.id, m.to, m.subject, m.t), messageId: m.id, expect: "stay", label: "sent" };
    },
    *inbox(from = 0, to = Number.MAX_SAFE_INTEGER) {
      for (let i = from; i < to; i++) yield inboxMessage(i, prng(seed * 1_000_003 + i), sentMeta, sentSpan, sizes);
    },
  };
}

function inboxMessage(i: number, rnd: () => number, sentMeta: readonly SentMeta[], sentSpan: number, sizes: BodySizes): SeedMessage {
  const own = `i${i}.${Math.floor(rnd() * 1e9).toString(36)}@in.example`;
  const r = rnd();
  const style = STYLES[Math.floor(rnd() * STYLES.length)] ?? postfixDsn;
  const pick = sentMeta[Math.floor(rnd() * sentMeta.length)];
  const t = START + Math.floor(rnd() * sentSpan);
  const spam = sizes === "realistic" ? `${filler(TEXT_POOL, 2_000, 10_000, rnd)}\r\n` : undefined;
  const message = (raw: string, expect: "move" | "stay", label: string): SeedMessage => ({ folder: "INBOX", raw, messageId: own, expect, label });
  if (r < 0.62 || !pick) return message(ordinary(own, t, rnd, rnd() < 0.2 && pick ? pick.id : null, sizes), "stay", "ordinary");
  if (r < 0.87) {
    const forged = `${Math.floor(rnd() * 1e12).toString(36)}@spammer${Math.floor(rnd() * 50)}.example`;
    const victim = `victim${Math.floor(rnd() * 5000)}@target${Math.floor(rnd() * 200)}.example`;
    return message(style(own, forged, victim, "Cheap watches", t, spam), "move", "backscatter");
  }
  if (r < 0.95) return message(style(own, pick.id, pick.to, pick.subject, pick.t), "stay", "legit");
  if (r < 0.97) return message(postfixDsn(own, `REWRITTEN-${i}@provider.example`, pick.to, pick.subject, pick.t), "stay", "legit, rewritten id");
  if (r < 0.99) {
    return message(
      `Return-Path: <>\r\nMessage-ID: <${own}>\r\nDate: ${date(t)}\r\nFrom: MAILER-DAEMON@old.remote.example\r\nTo: ${USER}\r\nSubject: Delivery failure\r\n\r\nYour message could not be delivered. 550 mailbox unavailable\r\n`,
      "stay",
      "unverifiable",
    );
  }
  return message(
    `Message-ID: <${own}>\r\nDate: ${date(t)}\r\nFrom: Carol <carol@remote.example>\r\nTo: ${USER}\r\nSubject: Fwd: Undelivered Mail Returned to Sender\r\n\r\nWhat is this?\r\n`,
    "stay",
    "trap",
  );
}

/** The whole mailbox in memory (small sizes): for tests. */
export function generateMailbox(inboxCount: number, sentCount: number, seed = 42): GeneratedMailbox {
  const stream = mailboxStream(sentCount, { seed });
  return { sent: [...stream.sent()], inbox: [...stream.inbox(0, inboxCount)] };
}
