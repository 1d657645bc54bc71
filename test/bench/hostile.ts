/** Hostile inputs the parser must survive; shared by the benchmark (timing) and the fuzz tests. */
export function nestedMultipart(depth: number): Buffer {
  let body = "Content-Type: text/plain\r\n\r\nMessage-ID: <deep@example.org>\r\nFrom: a@example.org\r\nSubject: deep\r\n";
  for (let i = depth; i > 0; i--) body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}\r\n--b${i}--\r\n`;
  return Buffer.from(`From: MAILER-DAEMON@example.org\r\nSubject: Undelivered Mail\r\n${body}`, "latin1");
}

export function bigAttachment(bytes: number): Buffer {
  const attachment = Buffer.alloc(bytes, "QUFB").toString("latin1");
  return Buffer.from(
    `From: MAILER-DAEMON@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host mx.example.org.\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: <big@example.org>\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--x--\r\n`,
    "latin1",
  );
}

export function binary(bytes: number): Buffer {
  return Buffer.from(Array.from({ length: bytes }, (_, i) => (i * 7919) % 256));
}

export function eightBit(): Buffer {
  return Buffer.concat([
    Buffer.from("From: MAILER-DAEMON@example.org\r\nSubject: Unzustellbar\r\n\r\nKonnte nicht zugestellt werden: "),
    Buffer.from([0xe4, 0xf6, 0xfc, 0xff, 0xfe]),
    Buffer.from("\r\n"),
  ]);
}

export const HOSTILE: ReadonlyArray<readonly [string, () => Buffer]> = [
  ["0 bytes", () => Buffer.alloc(0)],
  ["1 byte", () => Buffer.from("A")],
  ["3 bytes", () => Buffer.from("ABC")],
  ["binary 5 KB", () => binary(5000)],
  ["8-bit non-UTF-8", eightBit],
  ["5 MB attachment", () => bigAttachment(5 * 1024 * 1024)],
  ["200-deep multipart", () => nestedMultipart(200)],
  ["100k-character header", () => Buffer.from(`From: MAILER-DAEMON@example.org\r\nSubject: Undelivered ${"x".repeat(100_000)}\r\n\r\nbody\r\n`)],
];
