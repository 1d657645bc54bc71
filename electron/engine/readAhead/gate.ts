/**
 * The envelope pre-gate of a scan chunk, as a pure function: both the scanner (rows it fetched
 * itself) and the read-ahead worker (rows it fetched on its own connection) run it, so a chunk
 * means the same whichever thread read it. It also builds, for each row it lets through, the
 * triage header fields ENVELOPE and BODYSTRUCTURE give and whether they already make the message
 * a candidate, and its structure as our part tree: work the scanner's thread would otherwise do,
 * done where the worker has time.
 */
import { automatedHint, headersFromEnvelope, type AutomatedHint } from "../bounce/envelope.js";
import { certainlyCandidate } from "../bounce/triage.js";
import type { TriageRow } from "../ports.js";
import { envelopeTime } from "../mime/envelope.js";
import type { HeaderField } from "../mime/headers.js";
import { fromImapStructure } from "../mime/imapStructure.js";
import type { PartNode } from "../mime/tree.js";

/** A row the pre-gate let through, as plain data (it crosses from the worker's thread). */
export interface GatedRow {
  uid: number;
  /** Why it might be automated. */
  hint: AutomatedHint;
  /** The envelope's In-Reply-To, raw, or null. */
  inReplyTo: string | null;
  /** The envelope's date in ms, or null when it has none or none that parses. */
  date: number | null;
  /** Its BODYSTRUCTURE as a part tree ({@link fromImapStructure}); null when the server did not describe it. */
  root: PartNode | null;
  /** The triage fields the envelope and structure give ({@link headersFromEnvelope}). */
  fields: readonly HeaderField[];
  /** Those fields alone make it a candidate ({@link certainlyCandidate}): the rest of its fields can come with its parts. */
  certain: boolean;
}

/** What the scan needs of one fetched chunk: the automated-looking rows, and counts for the rest. */
export interface GatedChunk {
  /** The UID range asked for (`first:last`), so a reader's chunk is matched to the scanner's. */
  range: string;
  /** Rows the server answered with, \Deleted ones included (for progress). */
  fetched: number;
  /** The highest UID answered, \Deleted ones included: the checkpoint goes past them too. */
  maxUid: number;
  /** Rows not flagged \Deleted: the messages this chunk scanned. */
  scanned: number;
  /** Rows whose envelope or structure looks automated, in the server's order. */
  hinted: GatedRow[];
}

/** Gates the rows of `range`; rows at or below `afterUid` (a server answering more than asked) are dropped. */
export function gateChunk(range: string, rows: readonly TriageRow[], afterUid: number): GatedChunk {
  const chunk: GatedChunk = { range, fetched: 0, maxUid: afterUid, scanned: 0, hinted: [] };
  for (const row of rows) {
    if (row.uid <= afterUid) continue;
    chunk.fetched++;
    chunk.maxUid = Math.max(chunk.maxUid, row.uid);
    if (row.deleted) continue;
    chunk.scanned++;
    const hint = automatedHint(row.envelope, row.structure);
    if (hint === null) continue;
    const headers = headersFromEnvelope(row.envelope, row.structure);
    chunk.hinted.push({
      uid: row.uid,
      hint,
      inReplyTo: row.envelope.inReplyTo ?? null,
      date: envelopeTime(row.envelope.date),
      root: row.structure ? fromImapStructure(row.structure) : null,
      fields: headers.fields,
      certain: certainlyCandidate(headers),
    });
  }
  return chunk;
}

/**
 * Adds to `chunk` a part of its range gated on its own (the worker gates each part as it
 * arrives, on whichever connection): its counts, and its rows after those already there. Parts
 * added in order make the chunk {@link gateChunk} makes of all their rows at once. Returns `chunk`.
 */
export function addPart(chunk: GatedChunk, part: GatedChunk): GatedChunk {
  chunk.fetched += part.fetched;
  chunk.maxUid = Math.max(chunk.maxUid, part.maxUid);
  chunk.scanned += part.scanned;
  chunk.hinted.push(...part.hinted);
  return chunk;
}
