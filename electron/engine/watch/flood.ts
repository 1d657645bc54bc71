/**
 * Flood awareness, pure: backscatter arriving faster than {@link FLOOD_PER_HOUR} an hour starts a
 * flood, said once; it ends, said once more, when the last hour brings fewer than
 * {@link FADED_PER_HOUR}. The gap between the two keeps a flood at the edge from flapping.
 */

export const FLOOD_PER_HOUR = 30;
export const FADED_PER_HOUR = 10;
const HOUR = 3_600_000;

export interface FloodState {
  /** Backscatter of the last hour: when each arrived, and whether it was moved. */
  recent: { at: number; swept: boolean }[];
  /** When the flood under way started (its first arrival in the hour that crossed the rate), or null. */
  startedAt: number | null;
  /** Backscatter since the flood started: all of it, and how much of it was moved. */
  found: number;
  swept: number;
}

export interface FloodChange {
  kind: "started" | "ended";
  /** In words, for a notification and the Overview's banner. */
  text: string;
  startedAt: number;
  found: number;
  swept: number;
}

export const noFlood = (): FloodState => ({ recent: [], startedAt: null, found: 0, swept: 0 });

const clock = (ms: number): string => new Date(ms).toTimeString().slice(0, 5);

/** The words for a flood under way (null when there is none), as the Overview shows them. */
export function floodText(s: FloodState): string | null {
  if (s.startedAt === null) return null;
  const what = s.swept > 0 ? `${s.swept.toLocaleString("en")} swept so far` : `${s.found.toLocaleString("en")} found so far`;
  return `A flood of backscatter started at ${clock(s.startedAt)}: ${what}.`;
}

/**
 * The state after `found` backscatter messages (`swept` of them moved) arrived at `now`; and the
 * change to tell the user, if this arrival started a flood or the quiet since ended one.
 */
export function noteArrivals(state: FloodState, now: number, found: number, swept: number): { state: FloodState; change: FloodChange | null } {
  const arrived = Array.from({ length: found }, (_, i) => ({ at: now, swept: i < swept }));
  const recent = [...state.recent.filter((r) => now - r.at < HOUR), ...arrived];
  const next: FloodState = { recent, startedAt: state.startedAt, found: state.found, swept: state.swept };
  if (next.startedAt !== null) {
    next.found += found;
    next.swept += swept;
    if (recent.length >= FADED_PER_HOUR) return { state: next, change: null };
    const text = `The flood of backscatter that started at ${clock(next.startedAt)} has faded: ${next.found.toLocaleString("en")} arrived, ${next.swept.toLocaleString("en")} swept.`;
    return { state: { ...noFlood(), recent }, change: { kind: "ended", text, startedAt: next.startedAt, found: next.found, swept: next.swept } };
  }
  if (recent.length < FLOOD_PER_HOUR) return { state: next, change: null };
  next.startedAt = recent[0]?.at ?? now;
  next.found = recent.length;
  next.swept = recent.filter((r) => r.swept).length;
  return { state: next, change: { kind: "started", text: floodText(next) ?? "", startedAt: next.startedAt, found: next.found, swept: next.swept } };
}
