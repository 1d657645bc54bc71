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

/** Folders that show messages kept elsewhere (Gmail's All Mail, Important, Starred): never scanned as an inbox. */
export function isAggregateFolder(folder: Pick<FolderInfo, "path" | "specialUse">): boolean {
  return (
    ["\\All", "\\Important", "\\Flagged"].includes(folder.specialUse ?? "") || /^\[(?:Gmail|Google Mail)\]\/(?:All Mail|Important|Starred)$/i.test(folder.path)
  );
}

/**
 * The folders to scan, INBOX unless the user chose ("Junk" stands for the server's junk folder),
 * and those of the user's choice left out because they only show mail kept in other folders.
 */
export function scanFoldersOf(configured: readonly string[], folders: readonly FolderInfo[]): { scan: string[]; aggregates: string[] } {
  const chosen = configured.flatMap((f) => (f.toLowerCase() === "junk" ? findJunkFolders(folders) : [f]));
  const aggregate = (path: string): boolean => isAggregateFolder(folders.find((f) => f.path === path) ?? { path, specialUse: null });
  return { scan: chosen.filter((f) => !aggregate(f)), aggregates: chosen.filter(aggregate) };
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
