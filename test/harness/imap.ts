/** A second IMAP client for tests: seeds mailboxes and looks at what is there afterwards. */
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
