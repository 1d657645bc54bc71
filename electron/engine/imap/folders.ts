/**
 * Which folders hold the user's sent mail and junk, and where the destination goes. Pure:
 * decided from the server's LIST answer (SPECIAL-USE first, then names in common languages).
 */
import type { FolderInfo } from "../ports.js";

const SENT_NAMES = [
  "sent",
  "sent items",
  "sent messages",
  "sent mail",
  "sent-mail",
  "gesendet",
  "gesendete elemente",
  "gesendete objekte",
  "envoyés",
  "éléments envoyés",
  "messages envoyés",
  "enviados",
  "elementos enviados",
  "posta inviata",
  "inviati",
  "elementi inviati",
  "itens enviados",
  "verzonden",
  "verzonden items",
  "wysłane",
  "elementy wysłane",
  "отправленные",
  "送信済み",
  "送信済みアイテム",
  "已发送",
  "已發送",
  "已发送邮件",
  "skickat",
  "sendt",
  "lähetetyt",
];
const JUNK_NAMES = [
  "junk",
  "spam",
  "junk email",
  "junk e-mail",
  "bulk mail",
  "courrier indésirable",
  "spamverdacht",
  "posta indesiderata",
  "correo no deseado",
  "lixo eletrônico",
  "ongewenste e-mail",
  "wiadomości-śmieci",
  "спам",
  "迷惑メール",
  "垃圾邮件",
  "垃圾郵件",
];

/** A folder's last hierarchy level, lower-cased: "INBOX.Sent Items" → "sent items". */
export function leafName(folder: FolderInfo): string {
  const parts = folder.delimiter ? folder.path.split(folder.delimiter) : [folder.path];
  return (parts[parts.length - 1] ?? folder.path).toLowerCase();
}

function byRoleOrName(folders: readonly FolderInfo[], use: string, names: readonly string[]): string[] {
  const special = folders.filter((f) => f.specialUse === use).map((f) => f.path);
  if (special.length > 0) return special;
  for (const name of names) {
    const match = folders.find((f) => leafName(f) === name && !f.flags.includes("\\Noselect"));
    if (match) return [match.path];
  }
  return [];
}

/** The sending folders: \Sent, else the first folder with a common "sent" name. */
export function findSentFolders(folders: readonly FolderInfo[]): string[] {
  return byRoleOrName(folders, "\\Sent", SENT_NAMES);
}

export function findJunkFolders(folders: readonly FolderInfo[]): string[] {
  return byRoleOrName(folders, "\\Junk", JUNK_NAMES);
}

/**
 * The destination's full path: an existing folder of that name (with or without the personal
 * namespace prefix), else the name under the prefix with the server's delimiter
 * ("Backscatter" → "INBOX.Backscatter" on a Courier-style server).
 */
export function destinationPath(
  name: string,
  folders: readonly FolderInfo[],
  namespace: { prefix: string; delimiter: string },
): { path: string; exists: boolean } {
  const wanted = [name, namespace.prefix + name].map((n) => n.toLowerCase());
  const existing = folders.find((f) => wanted.includes(f.path.toLowerCase()));
  if (existing) return { path: existing.path, exists: true };
  const relative = namespace.delimiter && namespace.delimiter !== "/" ? name.split("/").join(namespace.delimiter) : name;
  return { path: namespace.prefix + relative, exists: false };
}
