/**
 * Phase 1 of a folder scan: which new messages are candidates. Two ways, same answer:
 * - the fetch gate: ENVELOPE and BODYSTRUCTURE of every new message, in UID ranges (read ahead
 *   on other connections for large folders), gated and triaged here;
 * - the search pass: the server names the messages that meet any of triage's signals
 *   (bounce/searchPass.ts) and only those are fetched, gated and triaged the same way.
 * The search pass is used on a server once it has proved, on a sample of the folder, that its
 * SEARCH finds every candidate the fetch gate finds and is not slower; what it proved is kept
 * per account and host (server_trait), so the proof runs once.
 */
import { EXTRA_FIELDS, withExtraFields } from "../bounce/envelope.js";
import { searchCriteria } from "../bounce/searchPass.js";
import { triage } from "../bounce/index.js";
import { isTransient } from "../imap/errors.js";
import { uidSet } from "../imap/uidSet.js";
import { Headers, parseHeaderBlock } from "../mime/headers.js";
import { gateChunk, type GatedChunk, type GatedRow } from "../readAhead/gate.js";
import type { OperationContext } from "../context.js";
import type { SearchCriterion } from "../ports.js";

/** UIDs per triage round; each round's rows are held together (collect, then act), so this bounds memory. */
export const TRIAGE_CHUNK = 500;

/**
 * New messages from which a folder's first pass may be a server-side search: below, the fetch
 * gate costs little, and the proof (two samples of {@link PROOF_SAMPLE}) would cost more than a tenth.
 */
export const SEARCH_FROM = 10_000;

/** Messages at the end of a folder's new range on which a server proves its search. */
const PROOF_SAMPLE = 500;

export interface Candidate {
  row: GatedRow;
  headers: Headers;
  /** The extra triage fields are still to come, with its parts (the envelope made it certain). */
  fieldsPending: boolean;
}

/** Header fields as a `BODY[HEADER.FIELDS (...)]` fetch gives them; none when nothing came. */
export function fieldsOf(raw: Buffer | null | undefined): Headers {
  return parseHeaderBlock((raw ?? Buffer.alloc(0)).toString("latin1"));
}

/**
 * Triage of the messages the envelope pre-gate let through. Those whose envelope and structure
 * alone make them candidates go on as they are (their extra fields come with their parts); the
 * rest get the extra header fields now, and triage decides.
 */
export async function candidatesOf(ctx: OperationContext, maybe: readonly GatedRow[]): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  const undecided: { row: GatedRow; fromEnvelope: Headers }[] = [];
  for (const row of maybe) {
    const headers = new Headers(row.fields);
    if (row.certain) candidates.push({ row, headers, fieldsPending: true });
    else undecided.push({ row, fromEnvelope: headers });
  }
  const extra =
    undecided.length > 0
      ? await ctx.session.headerFields(
          undecided.map((u) => u.row.uid),
          EXTRA_FIELDS,
        )
      : new Map<number, Buffer>();
  for (const { row, fromEnvelope } of undecided) {
    const headers = withExtraFields(fromEnvelope, fieldsOf(extra.get(row.uid)));
    if (triage(headers).candidate) candidates.push({ row, headers, fieldsPending: false });
  }
  return candidates.sort((a, b) => a.row.uid - b.row.uid);
}

/** One round of phase 1: UIDs `from`..`end`; `uids` the ones to fetch (null: all of them, the fetch gate). */
export interface FirstPassChunk {
  from: number;
  end: number;
  uids: readonly number[] | null;
  /** Live messages in `from`..`end` (search pass; the fetch gate counts the rows it gets). */
  live: number;
}

/** The fetch gate's rounds: every UID from `first` to `last`, {@link TRIAGE_CHUNK} at a time. */
export function rangeChunks(first: number, last: number): FirstPassChunk[] {
  const out: FirstPassChunk[] = [];
  for (let from = first; from <= last; from += TRIAGE_CHUNK) out.push({ from, end: Math.min(last, from + TRIAGE_CHUNK - 1), uids: null, live: 0 });
  return out;
}

/**
 * The search pass's rounds over `first`..`last`: `hits` {@link TRIAGE_CHUNK} at a time, each round
 * reaching up to the next round's first hit, with the live messages it covers counted from `live`
 * (both sorted). Never empty: with no hits, one round covers the range.
 */
export function searchChunks(first: number, last: number, live: readonly number[], hits: readonly number[]): FirstPassChunk[] {
  const out: FirstPassChunk[] = [];
  let from = first;
  let at = 0;
  for (let i = 0; ; i += TRIAGE_CHUNK) {
    const next = hits[i + TRIAGE_CHUNK];
    const end = next === undefined ? last : next - 1;
    let count = 0;
    for (; at < live.length && (live[at] ?? 0) <= end; at++) if ((live[at] ?? 0) >= from) count++;
    out.push({ from, end, uids: hits.slice(i, i + TRIAGE_CHUNK), live: count });
    if (next === undefined) return out;
    from = end + 1;
  }
}

/** A search-pass round gated as the fetch gate gates a range: only its hits fetched, the range's live messages counted. */
export async function searchRound(ctx: OperationContext, chunk: FirstPassChunk, afterUid: number): Promise<GatedChunk> {
  const uids = chunk.uids ?? [];
  const gated = gateChunk(`${chunk.from}:${chunk.end}`, uids.length > 0 ? await ctx.session.triageRows(uidSet(uids)) : [], afterUid);
  return { ...gated, fetched: chunk.live, scanned: chunk.live, maxUid: Math.max(gated.maxUid, chunk.end) };
}

/** The search pass's rounds over `first`..`last` of the open folder (two UID SEARCHes). */
export async function searchPlan(
  ctx: OperationContext,
  first: number,
  last: number,
  criteria: readonly SearchCriterion[] = searchCriteria(),
): Promise<FirstPassChunk[]> {
  const range = `${first}:${last}`;
  const live = await ctx.session.liveUids(range);
  const hits = live.length > 0 ? await ctx.session.liveUidsMeetingAny(range, criteria) : [];
  return searchChunks(first, last, live, hits);
}

/** What a server proved of its search: correct and quicker than the fetch gate, correct but slower, or not to be used (in words). */
export type SearchProof = "trusted" | `slower: ${string}` | `refused: ${string}`;

/**
 * Proves the server's search on the end of `first`..`last` in the open folder. Correct: on the
 * last {@link PROOF_SAMPLE} UIDs it found every candidate the fetch gate found. Quick: searching
 * them, and fetching what it found, took less than 0.8× what the fetch gate took on the
 * {@link PROOF_SAMPLE} UIDs before them (each timed on messages the server had not read yet).
 * Null when the sample holds no candidate to prove it on (the next scan tries again).
 */
export async function proveSearch(
  ctx: OperationContext,
  first: number,
  last: number,
  now: () => number = performance.now.bind(performance),
): Promise<SearchProof | null> {
  const sampleFirst = Math.max(first, last - PROOF_SAMPLE + 1);
  const sample = `${sampleFirst}:${last}`;
  const t0 = now();
  let hits: Set<number>;
  try {
    hits = new Set(await ctx.session.liveUidsMeetingAny(sample, searchCriteria()));
  } catch (error) {
    if (isTransient(error)) throw error;
    return `refused: the server would not search (${error instanceof Error ? error.message : String(error)})`;
  }
  const searched = now() - t0;
  const rows = await ctx.session.triageRows(sample);
  const candidates = await candidatesOf(ctx, gateChunk(sample, rows, first - 1).hinted);
  if (candidates.length === 0) return null;
  const missed = candidates.filter((c) => !hits.has(c.row.uid)).length;
  if (missed > 0) return `refused: its search missed ${missed} of ${candidates.length} candidates`;
  const before = `${Math.max(first, sampleFirst - PROOF_SAMPLE)}:${sampleFirst - 1}`;
  if (sampleFirst <= first) return "slower: no messages left to time the fetch gate on";
  const t1 = now();
  const gateRows = await ctx.session.triageRows(before);
  await candidatesOf(ctx, gateChunk(before, gateRows, first - 1).hinted);
  const gate = (now() - t1) / Math.max(1, gateRows.length);
  const search = (searched + hits.size * gate) / Math.max(1, rows.length);
  const perThousand = (ms: number): string => `${Math.round(ms * 1000)} ms`;
  const words = `search and fetch of what it found ${perThousand(search)}, fetch gate ${perThousand(gate)} a thousand messages`;
  return search < 0.8 * gate ? "trusted" : `slower: ${words}`;
}

/**
 * Whether the new messages `first`..`last` of the open folder go through the search pass: enough
 * of them, and a server that proved its search correct (proved now, on this folder, if it never
 * did) and either quicker, or the one to use when bytes are dear (Gmail's daily download limit,
 * or the engine's option). `notOpen` names the folder when it is not open yet.
 */
export async function useSearchPass(ctx: OperationContext, first: number, last: number, notOpen?: string): Promise<boolean> {
  if (!ctx.searchPass || last - first + 1 < ctx.searchPass.fromMessages) return false;
  const { store, account } = ctx;
  let proved = store.serverTrait(account.id, account.host, "search-pass");
  if (proved === null) {
    // A folder not open yet is opened read-only for the proof only.
    proved =
      notOpen === undefined
        ? await proveSearch(ctx, first, last)
        : await ctx.session.inFolder(notOpen, () => proveSearch(ctx, first, last), { readOnly: true });
    if (proved !== null) store.setServerTrait(account.id, account.host, "search-pass", proved);
  }
  return searchPassWanted(ctx, proved);
}

/** A proof's verdict for this operation: trusted, or correct but slower where bytes count more than time. */
export function searchPassWanted(ctx: OperationContext, proved: string | null): boolean {
  if (!ctx.searchPass || proved === null) return false;
  const bytesDear = ctx.searchPass.saveBytes ?? ctx.session.has("X-GM-EXT-1");
  return proved === "trusted" || (bytesDear && proved.startsWith("slower:"));
}
