/**
 * How far V8 lets the engine's heap grow between full collections. A scan keeps little, but every
 * chunk ends as garbage in the old generation; left alone, V8 lets that climb to 4× what survived,
 * and peak RSS grows with the inbox. At 1.5× it stays flat for the same CPU time (docs/performance.md).
 */
import v8 from "node:v8";

/** The next full collection at (100 + this) % of the heap that survived the last. */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Sets {@link HEAP_GROWING_PERCENT} for this process (V8's flags are process-wide, worker threads
 * included). Unlike the young generation's size, this flag is read at every full collection, so
 * an engine host can set it once it has started; each one does, first thing.
 */
export function limitHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
