/**
 * The envelope pre-gate of a scan chunk, as a pure function: both the scanner (rows it fetched
 * itself) and the read-ahead worker (rows it fetched on its own connection) run it, so a chunk
 * means the same whichever thread read it.
 */
import { automatedHint, type AutomatedHint } from "../bounce/envelope.js";
import type { TriageRow } from "../imap/session.js";

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
  /** Rows whose envelope or structure looks automated, in the server's order, each with why. */
  hinted: { row: TriageRow; hint: AutomatedHint }[];
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
    if (hint !== null) chunk.hinted.push({ row, hint });
  }
  return chunk;
}
