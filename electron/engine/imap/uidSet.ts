/**
 * UID sets as IMAP writes them (RFC 9051 sequence-set): ascending, with every run of consecutive
 * UIDs as `first:last`. Backscatter arrives in bursts, so the set of thousands of UIDs a move
 * names is often a few runs. Servers are asked to accept command lines of at least 8,192 octets
 * and clients to stay near that (RFC 7162 §4), so batches are cut by the length of their set too.
 */

/** The longest UID set a command carries: RFC 7162 §4's 8,192 octets, less the command around it. */
export const MAX_SET_CHARS = 7800;

/** The set's text length grows by this much when `uid` (larger than all before it) is added. */
function growth(uid: number, run: { first: number; last: number } | null): number {
  const digits = String(uid).length;
  if (run === null) return digits;
  if (uid !== run.last + 1) return 1 + digits; // ",uid"
  return run.first === run.last ? 1 + digits : digits - String(run.last).length; // "a" → "a:uid", "a:b" → "a:uid"
}

/** The compact UID set of `uids` (any order, repeats ignored), e.g. `3:7,9,12:13`. */
export function uidSet(uids: Iterable<number>): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    parts.push(j > i ? `${sorted[i]}:${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(",");
}

/**
 * `items` in ascending UID order, cut into batches of at most `maxCount` whose compact UID set is
 * at most `maxChars` long. Items with the same UID stay in one batch.
 */
export function uidBatches<T>(items: readonly T[], uidOf: (item: T) => number, { maxCount, maxChars }: { maxCount: number; maxChars: number }): T[][] {
  const sorted = [...items].sort((a, b) => uidOf(a) - uidOf(b));
  const batches: T[][] = [];
  let batch: T[] = [];
  let run: { first: number; last: number } | null = null;
  let length = 0;
  for (const item of sorted) {
    const uid = uidOf(item);
    if (run !== null && uid === run.last) {
      batch.push(item);
      continue;
    }
    const more = growth(uid, run);
    if (batch.length > 0 && (batch.length >= maxCount || length + more > maxChars)) {
      batches.push(batch);
      batch = [];
      run = null;
      length = 0;
    }
    length += growth(uid, run);
    run = run !== null && uid === run.last + 1 ? { first: run.first, last: uid } : { first: uid, last: uid };
    batch.push(item);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
