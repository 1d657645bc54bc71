/**
 * Parts of a folder read over several connections at once and handed on in order: on a cold
 * server each message is a file read from disk, one after another per connection, so more
 * connections read more at once (docs/performance.md).
 */

export interface InTurn<P, T> {
  /**
   * Adds a reader, at any time: from then on, whenever it is free, it reads the next part no one
   * has taken, unless `ahead` parts past the last one handed on are already read or being read.
   */
  join(read: (part: P) => Promise<T>): void;
  /**
   * The results in the parts' order. A failed read is thrown in its place: no reader takes a part
   * after a failure, and nothing after it is handed on.
   */
  results(): AsyncGenerator<T, void, undefined>;
}

interface Slot<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function slot<T>(): Slot<T> {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // Handled here so that a failure not yet asked for is no unhandled rejection; results() throws it.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Reads `parts` with the readers that {@link InTurn.join}, several at once, and hands them on in order. */
export function inTurn<P, T>(parts: readonly P[], ahead: number): InTurn<P, T> {
  const slots = new Map<number, Slot<T>>();
  const slotOf = (i: number): Slot<T> => {
    let s = slots.get(i);
    if (!s) slots.set(i, (s = slot<T>()));
    return s;
  };
  let taken = 0;
  let handedOn = 0;
  let failed = false;
  let roomMade: (() => void)[] = [];
  const room = (): Promise<void> => new Promise((resolve) => roomMade.push(resolve));
  const makeRoom = (): void => {
    const waiting = roomMade;
    roomMade = [];
    for (const wake of waiting) wake();
  };

  const readOn = async (read: (part: P) => Promise<T>): Promise<void> => {
    for (;;) {
      while (!failed && taken < parts.length && taken >= handedOn + Math.max(ahead, 1)) await room();
      const i = taken;
      const part = parts[i];
      if (failed || part === undefined) return;
      taken++;
      try {
        slotOf(i).resolve(await read(part));
      } catch (error) {
        failed = true;
        slotOf(i).reject(error);
        makeRoom();
        return;
      }
    }
  };

  return {
    join(read) {
      void readOn(read);
    },
    async *results() {
      for (let i = 0; i < parts.length; i++) {
        const value = await slotOf(i).promise;
        slots.delete(i);
        handedOn = i + 1;
        makeRoom();
        yield value;
      }
    },
  };
}
