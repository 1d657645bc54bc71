/**
 * Finding messages on disk: directories walked in name order, mbox files split into messages.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";

/** Names a walk skips: dot and underscore files, docs and data that sit beside sample mail. */
export function skippedName(name: string): boolean {
  return /^[._]/.test(name) || /^(?:README|LICENSE)/i.test(name) || /\.(?:md|json|jsonl|tsv)$/i.test(name);
}

export interface FoundFile {
  /** Absolute or cwd-relative path to read. */
  path: string;
  /** Path as printed: relative to the directory argument, or the file argument as given. */
  label: string;
}

/** Expands one command-line path into the files it names. Throws when it cannot be read. */
export async function listMessageFiles(argument: string, resolved: string): Promise<FoundFile[]> {
  const info = await stat(resolved);
  if (!info.isDirectory()) return [{ path: resolved, label: argument }];
  const out: FoundFile[] = [];
  const visit = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (skippedName(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await visit(full);
      else if (entry.isFile()) out.push({ path: full, label: relative(resolved, full) });
    }
  };
  await visit(resolved);
  return out;
}

/**
 * Splits a file into messages: an mbox (first line begins with "From ") at every "From " line
 * that follows an empty line, the "From " line itself dropped; any other file is one message.
 */
export function splitMbox(data: Buffer): Buffer[] {
  if (!data.subarray(0, 5).equals(Buffer.from("From "))) return [data];
  const text = data.toString("latin1");
  const starts: number[] = [0];
  const ends: number[] = [];
  const re = /(\r?\n)\r?\nFrom /g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    ends.push(m.index + (m[1]?.length ?? 1));
    starts.push(m.index + m[0].length - 5);
  }
  return starts.map((start, i) => {
    const end = ends[i] ?? text.length;
    const chunk = text.slice(start, end);
    const firstLineEnd = chunk.indexOf("\n");
    return Buffer.from(firstLineEnd < 0 ? "" : chunk.slice(firstLineEnd + 1), "latin1");
  });
}

export async function readMessages(path: string): Promise<Buffer[]> {
  return splitMbox(await readFile(path));
}
