/**
 * UID FETCH through imapflow's public `fetch()`, for when its internals are not the ones the fast
 * path was written against (imapflowInternals.ts). The answers are the same {@link FetchAnswer}s:
 * imapflow parses ENVELOPE and BODYSTRUCTURE with the same code, and each section is put back
 * under the key the fast path gives it.
 */
import type { FetchMessageObject, FetchQueryObject, ImapFlow } from "imapflow";
import type { FetchAnswer, FetchItem } from "./fetchAnswer.js";

type Section = Exclude<FetchItem, string>;

/** Where imapflow puts a section's bytes: `source`, `headers`, or `bodyParts` under a lower-case key without its field list. */
function placeOf(item: Section): "source" | "headers" | string {
  if (item.section === "") return "source";
  if (item.section.toUpperCase() === "HEADER.FIELDS") return "headers";
  return item.section.toLowerCase().replace(/\.fields$/, "");
}

/**
 * The imapflow query for `items`. imapflow writes a body part's key as an atom, which cannot hold
 * a field list, so `n.HEADER.FIELDS (A B)` is asked as the whole `n.HEADER` and cut down by
 * {@link onlyFields}.
 */
export function publicQuery(items: readonly FetchItem[]): FetchQueryObject {
  const query: FetchQueryObject = { uid: true };
  const parts: { key: string; start?: number; maxLength?: number }[] = [];
  for (const item of items) {
    if (item === "UID") continue;
    if (item === "FLAGS") query.flags = true;
    else if (item === "ENVELOPE") query.envelope = true;
    else if (item === "BODYSTRUCTURE") query.bodyStructure = true;
    else if (item === "RFC822.SIZE") query.size = true;
    else {
      const range = item.maxBytes !== undefined ? { start: item.start ?? 0, maxLength: item.maxBytes } : {};
      const place = placeOf(item);
      if (place === "source") query.source = item.maxBytes !== undefined ? { start: item.start ?? 0, maxLength: item.maxBytes } : true;
      else if (place === "headers") query.headers = (item.fields ?? []).map((f) => f.toUpperCase());
      else parts.push({ key: item.section.toUpperCase().replace(/\.FIELDS$/, ""), ...range });
    }
  }
  if (parts.length > 0) query.bodyParts = parts;
  return query;
}

/** One of imapflow's message objects as the fast path's {@link FetchAnswer}. */
export function answerOf(m: FetchMessageObject, items: readonly FetchItem[]): FetchAnswer {
  const sections = new Map<string, Buffer>();
  for (const item of items) {
    if (typeof item === "string") continue;
    const place = placeOf(item);
    const bytes = place === "source" ? m.source : place === "headers" ? m.headers : m.bodyParts?.get(place);
    if (bytes) sections.set(item.section.toUpperCase(), place !== "headers" && item.fields ? onlyFields(bytes, item.fields) : bytes);
  }
  return { uid: m.uid, flags: m.flags ?? null, envelope: m.envelope ?? null, structure: m.bodyStructure, size: m.size ?? null, sections };
}

/** The fields of a header block named in `fields` (folded lines kept), ending in a blank line, as HEADER.FIELDS answers. */
export function onlyFields(block: Buffer, fields: readonly string[]): Buffer {
  const wanted = new Set(fields.map((f) => f.toLowerCase()));
  const kept: string[] = [];
  let keeping = false;
  for (const line of block.toString("latin1").split(/\r?\n/)) {
    if (line === "") break;
    if (!/^[ \t]/.test(line)) keeping = wanted.has(line.slice(0, line.indexOf(":")).trim().toLowerCase());
    if (keeping) kept.push(line);
  }
  return Buffer.from(`${kept.map((l) => `${l}\r\n`).join("")}\r\n`, "latin1");
}

/** UID FETCH of `items` for the UIDs in `range`, through imapflow's public API. */
export async function publicFetch(client: ImapFlow, range: string, items: readonly FetchItem[]): Promise<FetchAnswer[]> {
  const out: FetchAnswer[] = [];
  for await (const m of client.fetch(range, publicQuery(items), { uid: true })) if (m.uid) out.push(answerOf(m, items));
  return out;
}
