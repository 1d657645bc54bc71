/**
 * Scanning a folder in two phases. Phase 1 fetches ENVELOPE and BODYSTRUCTURE of new UIDs and
 * keeps the candidates (the triage header fields are fetched here only where they decide);
 * phase 2 fetches only the sections selectParts names (capped; text parts in two looks), grouped
 * so messages needing the same sections share one FETCH. Every message is then classified and
 * stored. A message that cannot be read is recorded and skipped.
 */
import { normaliseMessageId } from "../../../shared/messageId.js";
import type { MessageError, Report, VerdictKind } from "../../../shared/model.js";
import { EXTRA_FIELDS, withExtraFields } from "../bounce/envelope.js";
import { parseRawMessage, parseReport, secondLook, selectParts, type SectionRead } from "../bounce/index.js";
import { classify } from "../classify.js";
import type { FetchedSections, FolderStatus, IndexLookup } from "../ports.js";
import { CancelledError, checkCancelled, type OperationContext } from "../context.js";
import { describeDatabaseError } from "../db/open.js";
import { diagnose, type Diagnosable, type Diagnosis } from "../diagnosis/diagnose.js";
import { ImapError, isTransient } from "../imap/errors.js";
import { attachFetched } from "../mime/imapStructure.js";
import type { PartNode } from "../mime/tree.js";
import { resumeAfter, unchangedSince } from "../checkpoint.js";
import { gateChunk, type GatedRow } from "../readAhead/gate.js";
import type { ReadAhead } from "../readAhead/reader.js";
import { candidatesOf, fieldsOf, rangeChunks, searchPlan, searchRound, TRIAGE_CHUNK, useSearchPass, type Candidate } from "./firstPass.js";

/** A message whose structure the server could not describe is read from its first bytes. */
const PREFIX_BYTES = 96 * 1024;

export interface FolderScan {
  folder: string;
  scanned: number;
  candidates: number;
  counts: Partial<Record<VerdictKind, number>>;
  errors: MessageError[];
  unchanged: boolean;
  /** Items this scan stored or updated. */
  itemIds: number[];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface Pending {
  candidate: Candidate;
  root: PartNode;
  requests: SectionRead[];
}

/** Messages per phase 2 FETCH: one command's answer stays a few hundred KB. */
const SECTION_BATCH = 200;

/**
 * Fetches what `need` names for each message (messages needing the same share a FETCH) and hands
 * each answer to `use`. A batch the server refuses marks its messages failed; a lost connection
 * is thrown, for the operation to reconnect.
 */
async function fetchGrouped(
  ctx: OperationContext,
  items: readonly Pending[],
  need: (p: Pending) => { requests: readonly SectionRead[]; fields: readonly string[] },
  use: (p: Pending, got: FetchedSections) => void,
  failed: (p: Pending, error: Error) => void,
): Promise<void> {
  const groups = new Map<string, { requests: readonly SectionRead[]; fields: readonly string[]; items: Pending[] }>();
  for (const p of items) {
    const n = need(p);
    const key = JSON.stringify(n);
    const group = groups.get(key);
    if (group) group.items.push(p);
    else groups.set(key, { ...n, items: [p] });
  }
  for (const { requests, fields, items: members } of groups.values()) {
    for (let i = 0; i < members.length; i += SECTION_BATCH) {
      checkCancelled(ctx.signal);
      const batch = members.slice(i, i + SECTION_BATCH);
      let fetched: Map<number, FetchedSections>;
      try {
        fetched = await ctx.session.sections(
          batch.map((b) => b.candidate.row.uid),
          requests,
          fields,
        );
      } catch (error) {
        if (isTransient(error)) throw error;
        for (const b of batch) failed(b, new Error(`its parts could not be fetched: ${describe(error)}`));
        continue;
      }
      for (const b of batch) use(b, fetched.get(b.candidate.row.uid) ?? { parts: new Map(), fields: null });
    }
  }
}

/**
 * Fetches each pending message's sections in two rounds and parses: the first look (with the
 * extra header fields still pending), then the second look where {@link secondLook} asks for one.
 */
async function fetchAndParse(ctx: OperationContext, pending: readonly Pending[], out: Map<number, Report | Error>): Promise<void> {
  const failed = (p: Pending, error: Error): void => void out.set(p.candidate.row.uid, error);
  const second = new Map<Pending, SectionRead[]>();
  const firstLook = ({ requests, candidate }: Pending) => ({ requests, fields: candidate.fieldsPending ? EXTRA_FIELDS : [] });
  await fetchGrouped(
    ctx,
    pending,
    firstLook,
    (p, got) => {
      if (p.candidate.fieldsPending) p.candidate.headers = withExtraFields(p.candidate.headers, fieldsOf(got.fields));
      attachFetched(p.root, got.parts, p.requests);
      const more = secondLook(p.root, p.requests);
      if (more.length > 0) second.set(p, more);
    },
    failed,
  );
  await fetchGrouped(
    ctx,
    [...second.keys()],
    (p) => ({ requests: second.get(p) ?? [], fields: [] }),
    (p, got) => attachFetched(p.root, got.parts, second.get(p) ?? []),
    failed,
  );
  for (const { candidate, root } of pending) {
    if (out.has(candidate.row.uid)) continue;
    try {
      out.set(candidate.row.uid, parseReport({ headers: candidate.headers, root }));
    } catch (error) {
      out.set(candidate.row.uid, new Error(describe(error)));
    }
  }
}

/** Phase 2: the Report of every candidate, from the sections selectParts names. */
async function reportsFor(ctx: OperationContext, candidates: readonly Candidate[]): Promise<Map<number, Report | Error>> {
  const out = new Map<number, Report | Error>();
  const pending: Pending[] = [];
  for (const candidate of candidates) {
    const root = candidate.row.root;
    if (!root) {
      // Nested deeper than the server describes (imapflow leaves bodyStructure undefined): read the start.
      try {
        const raw = await ctx.session.prefix(candidate.row.uid, PREFIX_BYTES);
        out.set(candidate.row.uid, parseRawMessage(raw));
      } catch (error) {
        if (isTransient(error)) throw error;
        out.set(candidate.row.uid, new Error(describe(error)));
      }
      continue;
    }
    pending.push({ candidate, root, requests: selectParts(root) });
  }
  await fetchAndParse(ctx, pending, out);
  return out;
}

/** The candidates whose report could be read, for {@link diagnose}. */
function diagnosable(candidates: readonly Candidate[], reports: ReadonlyMap<number, Report | Error>): Diagnosable[] {
  const out: Diagnosable[] = [];
  for (const { row } of candidates) {
    const report = reports.get(row.uid);
    if (report && !(report instanceof Error)) out.push({ uid: row.uid, report, receivedAt: row.date });
  }
  return out;
}

const NO_IDS: ReadonlyMap<number, string> = new Map();

/** Classifies each candidate's report and stores every verdict but not-automated; counts all. */
function recordVerdicts(
  ctx: OperationContext,
  at: { folder: string; uidvalidity: number },
  candidates: readonly Candidate[],
  reports: ReadonlyMap<number, Report | Error>,
  lookup: IndexLookup,
  diagnoses: ReadonlyMap<number, Diagnosis>,
  gmailIds: ReadonlyMap<number, string>,
  result: ChunkScan,
): void {
  for (const { row, headers } of candidates) {
    const gmailId = gmailIds.get(row.uid) ?? null;
    // On Gmail a folder is a label: a message already seen under another scanned label is that item.
    if (gmailId !== null && ctx.store.gmailIdElsewhere(ctx.account.id, gmailId, at.folder)) continue;
    const report = reports.get(row.uid);
    if (!report || report instanceof Error) {
      result.errors.push({ folder: at.folder, uid: row.uid, error: `This message could not be read: ${report?.message ?? "no answer from the server"}` });
      continue;
    }
    const diagnosis = diagnoses.get(row.uid);
    const verdict = classify(report, lookup, row.date, diagnosis?.facts);
    result.counts[verdict.verdict] = (result.counts[verdict.verdict] ?? 0) + 1;
    if (verdict.verdict === "not-automated") continue;
    const id = ctx.store.saveItem({
      accountId: ctx.account.id,
      ...at,
      uid: row.uid,
      messageId: normaliseMessageId(headers.raw("message-id") ?? ""),
      date: headers.text("date"),
      subject: headers.text("subject"),
      from: headers.text("from"),
      report,
      verdict,
      originIp: diagnosis?.originIp ?? null,
      gmailId,
    });
    if (id !== null) result.itemIds.push(id);
  }
}

/** What one committed chunk of a folder added. */
export type ChunkScan = Pick<FolderScan, "scanned" | "candidates" | "counts" | "errors" | "itemIds">;

const emptyChunk = (): ChunkScan => ({ scanned: 0, candidates: 0, counts: {}, errors: [], itemIds: [] });

/** How a scan starts on each folder: the STATUS of those asked (see {@link startScan}), their first pass, and the read-ahead of one of them. */
export interface ScanStart {
  statuses: Map<string, FolderStatus | null>;
  /** True: the folder's first pass is the server's search. */
  searchFirst: Map<string, boolean>;
  readAhead: ReadAhead | null;
}

/**
 * Asks the STATUS of each folder never scanned to the end, decides how its first pass goes (see
 * scan/firstPass.ts), and starts reading ahead the first with at least
 * `ctx.readAhead.fromMessages` new messages that the fetch gate reads, if any: one worker at a
 * time keeps memory bounded. Called before the Sent folders are indexed, so that the first chunks
 * are there when the scan begins; {@link scanFolder} goes on from the same STATUS.
 *
 * A folder scanned before is not asked: its SELECT, later, says whether it changed (a STATUS that
 * finds new mail costs the server the same work again at the SELECT).
 */
export async function startScan(ctx: OperationContext, folders: readonly string[], { readAhead = true }: { readAhead?: boolean } = {}): Promise<ScanStart> {
  const start: ScanStart = { statuses: new Map(), searchFirst: new Map(), readAhead: null };
  for (const folder of folders) {
    if (ctx.store.checkpoint(ctx.account.id, folder, "scan")?.uidNext) continue;
    const status = await ctx.session.status(folder);
    start.statuses.set(folder, status);
    if (!status) continue;
    const afterUid = resumeAfter(ctx.store.checkpoint(ctx.account.id, folder, "scan"), status.uidValidity);
    const searchFirst = await useSearchPass(ctx, afterUid + 1, status.uidNext - 1, folder);
    start.searchFirst.set(folder, searchFirst);
    if (searchFirst || !readAhead || !ctx.readAhead || start.readAhead) continue;
    if (status.uidNext - 1 - afterUid >= ctx.readAhead.fromMessages) start.readAhead = ctx.readAhead.start({ folder, afterUid, chunkSize: TRIAGE_CHUNK });
  }
  return start;
}

/** What a scan already knows of a folder when it gets to it (see {@link startScan}). */
export interface FolderStart {
  /** Its STATUS (null: the folder does not exist); undefined: not asked, its SELECT tells. */
  status?: FolderStatus | null | undefined;
  /** Its first pass is the server's search; undefined: decided when it is open. */
  searchFirst?: boolean | undefined;
  readAhead?: ReadAhead | null;
}

/**
 * Scans the new messages of one folder; stores a verdict for every automated one. Each chunk's
 * verdicts and the folder's checkpoint are committed together, and only then reported through
 * `onChunk`: after a dropped connection the rerun starts at the first uncommitted UID. Chunks
 * come from `known.readAhead` while it has them, the rest from the session.
 */
export async function scanFolder(
  ctx: OperationContext,
  folder: string,
  lookup: IndexLookup,
  onChunk: (chunk: ChunkScan) => void = () => undefined,
  known: FolderStart = {},
): Promise<FolderScan> {
  const { session, store, account } = ctx;
  const readAhead = known.readAhead ?? null;
  const result: FolderScan = { folder, ...emptyChunk(), unchanged: false };
  if (known.status === null) {
    result.errors.push({ folder, uid: 0, error: `The folder ${folder} does not exist on the server.` });
    return result;
  }
  const state = store.checkpoint(account.id, folder, "scan");
  if (known.status && unchangedSince(state, known.status)) {
    result.unchanged = true;
    return result;
  }
  // The numbers the checkpoint is compared with and stored from: the STATUS asked at the start, else the SELECT's.
  let status = known.status;
  let maxUid = 0;
  let uidvalidity = 0;
  await session.inFolder(folder, async (open) => {
    if (!status) {
      status = open;
      result.unchanged = unchangedSince(state, open);
      if (result.unchanged) return;
    }
    const { messages } = status;
    // A new UIDVALIDITY (since the last scan, or since STATUS a moment ago: the folder was
    // recreated meanwhile) invalidates every UID we knew: rescan the folder from the start.
    uidvalidity = open.uidValidity;
    const lastUid = resumeAfter(state, uidvalidity);
    if (state !== null && state.uidValidity !== uidvalidity) store.dropStaleItems(account.id, folder, uidvalidity);
    maxUid = lastUid;
    let done = 0;
    const [first, last] = [lastUid + 1, open.uidNext - 1];
    const searchFirst = known.searchFirst ?? (await useSearchPass(ctx, first, last));
    for (const round of searchFirst ? await searchPlan(ctx, first, last) : rangeChunks(first, Math.max(first, last))) {
      checkCancelled(ctx.signal);
      ctx.budget.check(readAhead?.bytes() ?? 0);
      const chunk = emptyChunk();
      const range = `${round.from}:${round.end}`;
      const gated = round.uids
        ? await searchRound(ctx, round, lastUid)
        : ((await readAhead?.take(range, open.uidValidity)) ?? gateChunk(range, await session.triageRows(range), lastUid));
      chunk.scanned = gated.scanned;
      const chunkMax = Math.max(maxUid, gated.maxUid);
      const maybe: GatedRow[] = [];
      for (const row of gated.hinted) {
        // A plain reply to mail the user sent is never backscatter, whoever wrote it: not worth a fetch.
        const answered = row.hint === "reply" ? normaliseMessageId(row.inReplyTo ?? "") : null;
        if (answered === null || lookup.sentDate(answered) === undefined) maybe.push(row);
      }
      const candidates = await candidatesOf(ctx, maybe);
      done += gated.fetched;
      ctx.progress({ phase: "triage", done, total: open.messages, folder });
      chunk.candidates += candidates.length;
      const reports = await reportsFor(ctx, candidates);
      ctx.progress({ phase: "parse", done: candidates.length, total: candidates.length, folder });
      const facts = await diagnose(ctx, diagnosable(candidates, reports), lookup);
      const gmailIds = session.has("X-GM-EXT-1") && candidates.length > 0 ? await session.gmailIds(candidates.map((c) => c.row.uid)) : NO_IDS;
      // uidnext 0 until the folder is finished: a half-scanned folder never looks unchanged.
      store.batch(() => {
        recordVerdicts(ctx, { folder, uidvalidity: open.uidValidity }, candidates, reports, lookup, facts, gmailIds, chunk);
        store.setCheckpoint(account.id, folder, "scan", { uidValidity: uidvalidity, lastUid: chunkMax, uidNext: 0, messages, highestModseq: null });
      });
      maxUid = chunkMax;
      mergeChunk(result, chunk);
      onChunk(chunk);
    }
  });
  if (!status || result.unchanged) return result;
  // The STATUS numbers describe the folder only if it is the one we opened.
  const same = uidvalidity === status.uidValidity;
  store.setCheckpoint(account.id, folder, "scan", {
    uidValidity: uidvalidity,
    lastUid: maxUid,
    uidNext: same ? status.uidNext : 0,
    messages: status.messages,
    highestModseq: same ? status.highestModseq : null,
  });
  return result;
}

function mergeChunk(into: ChunkScan, chunk: ChunkScan): void {
  into.scanned += chunk.scanned;
  into.candidates += chunk.candidates;
  into.errors.push(...chunk.errors);
  into.itemIds.push(...chunk.itemIds);
  for (const [k, n] of Object.entries(chunk.counts)) into.counts[k as VerdictKind] = (into.counts[k as VerdictKind] ?? 0) + n;
}

/**
 * {@link scanFolder}, with a folder the server will not open (deleted or renamed while we scan,
 * or refused) reported in words so the other folders are still scanned. A lost connection is
 * not caught: the operation reconnects and goes on.
 */
export async function scanFolderOrSay(
  ctx: OperationContext,
  folder: string,
  lookup: IndexLookup,
  onChunk: (chunk: ChunkScan) => void,
  known: FolderStart = {},
): Promise<Pick<FolderScan, "unchanged" | "errors">> {
  try {
    const r = await scanFolder(ctx, folder, lookup, (chunk) => onChunk(chunk), known);
    // Chunk errors went out through onChunk; only the folder's own are returned.
    return { unchanged: r.unchanged, errors: r.errors.filter((e) => e.uid === 0) };
  } catch (error) {
    // A lost connection, a cancel, a damaged database and a spent budget stop the whole scan, not this folder's.
    if (isTransient(error) || error instanceof CancelledError || describeDatabaseError(error) || (error instanceof ImapError && error.kind === "budget"))
      throw error;
    return {
      unchanged: false,
      errors: [
        {
          folder,
          uid: 0,
          error: `The folder ${folder} could not be scanned (${describe(error)}); it may have been deleted or renamed by another mail program. The other folders were scanned.`,
        },
      ],
    };
  }
}
