/**
 * Gmail's IMAP extensions (X-GM-EXT-1) the engine uses, on imapflow's public fetch: few messages
 * at a time (a batch of moves, a chunk's candidates), which the fast path need not read.
 */
import type { ImapFlow } from "imapflow";
import { uidSet } from "./uidSet.js";

/** Each message's X-GM-LABELS, in the selected folder. */
export async function gmailLabels(client: ImapFlow, uids: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for await (const m of client.fetch(uidSet(uids), { uid: true, labels: true }, { uid: true })) out.set(m.uid, [...(m.labels ?? [])]);
  return out;
}

/** Each message's X-GM-MSGID (imapflow's emailId on Gmail), in the selected folder. */
export async function gmailMessageIds(client: ImapFlow, uids: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for await (const m of client.fetch(uidSet(uids), { uid: true, emailId: true }, { uid: true })) if (m.emailId) out.set(m.uid, m.emailId);
  return out;
}

/** Adds labels to messages of the selected folder (STORE +X-GM-LABELS); false when the server refused. */
export async function addGmailLabels(client: ImapFlow, uids: readonly number[], labels: readonly string[]): Promise<boolean> {
  return client.messageFlagsAdd(uidSet(uids), [...labels], { uid: true, useLabels: true });
}
