/** A second IMAP client for tests: seeds mailboxes and looks at what is there afterwards. */
import { connect } from "node:net";
import { ImapFlow } from "imapflow";
import { normaliseMessageId } from "../../shared/messageId.js";
import type { Dovecot } from "./dovecot.js";
import type { SeedMessage } from "./mailbox.js";

export async function withClient<T>(d: Dovecot, fn: (c: ImapFlow) => Promise<T>, user = "alice@example.org"): Promise<T> {
  const c = new ImapFlow({ host: d.host, port: d.port, secure: false, doSTARTTLS: false, auth: { user, pass: d.users[user] ?? "" }, logger: false });
  c.on("error", () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.logout().catch(() => c.close());
  }
}

export async function seed(d: Dovecot, messages: readonly SeedMessage[]): Promise<void> {
  await withClient(d, async (c) => {
    for (const m of messages) {
      const r = await c.append(m.folder, m.raw, m.flags ?? []);
      if (!r) throw new Error(`APPEND to ${m.folder} failed`);
    }
  });
}

export interface Present {
  messageId: string;
  uid: number;
  flags: string[];
}

/** Every message of a folder (none when it does not exist), with its normalised Message-ID. */
export async function contents(d: Dovecot, folder: string): Promise<Present[]> {
  return withClient(d, async (c) => {
    const exists = (await c.list()).some((m) => m.path === folder);
    if (!exists) return [];
    const lock = await c.getMailboxLock(folder);
    try {
      const out: Present[] = [];
      if (!c.mailbox || c.mailbox.exists === 0) return out;
      for await (const m of c.fetch("1:*", { uid: true, envelope: true, flags: true })) {
        out.push({ messageId: normaliseMessageId(m.envelope?.messageId ?? "") ?? "", uid: m.uid, flags: [...(m.flags ?? [])] });
      }
      return out;
    } finally {
      lock.release();
    }
  });
}

/** Message-IDs of a folder's messages that are not flagged \Deleted, sorted. */
export async function liveIds(d: Dovecot, folder: string): Promise<string[]> {
  return (await contents(d, folder))
    .filter((m) => !m.flags.includes("\\Deleted"))
    .map((m) => m.messageId)
    .sort();
}

/**
 * Appends `raws` to `folder` in one MULTIAPPEND command (RFC 3502, with LITERAL+): the server
 * takes them all at once, as a burst of mail arrives. imapflow appends one message per command.
 */
export async function multiAppend(d: Dovecot, folder: string, raws: readonly string[], user = "alice@example.org"): Promise<void> {
  const socket = connect(d.port, d.host);
  let received = "";
  const answered = (tag: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const line = received.split("\r\n").find((l) => l.startsWith(`${tag} `));
        if (!line) return;
        socket.off("data", check);
        if (line.startsWith(`${tag} OK`)) resolve();
        else reject(new Error(`${tag}: ${line}`));
      };
      socket.on("data", check);
      check();
    });
  socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
  const quote = (s: string): string => `"${s.replace(/["\\]/g, "\\$&")}"`;
  socket.write(`a LOGIN ${quote(user)} ${quote(d.users[user] ?? "")}\r\n`);
  await answered("a");
  const parts: Buffer[] = [Buffer.from(`b APPEND ${quote(folder)}`)];
  for (const raw of raws) {
    const data = Buffer.from(raw, "utf8");
    parts.push(Buffer.from(` {${data.length}+}\r\n`), data);
  }
  parts.push(Buffer.from("\r\n"));
  socket.write(Buffer.concat(parts));
  await answered("b");
  socket.end("c LOGOUT\r\n");
}
