/** watchAccount on an engine's account for tests: what it swept, said and noticed, and a stop that waits for it. */
import type { Engine } from "../../electron/engine/index.js";
import type { FloodChange } from "../../electron/engine/watch/flood.js";
import { watchAccount, type Sweep, type WatchDeps } from "../../electron/engine/watch/watcher.js";

export interface Watching {
  sweeps: Sweep[];
  notices: string[];
  floods: FloodChange[];
  /** Settles when the watch ends (rejects with an error a retry cannot mend). */
  done: Promise<void>;
  /** Aborts the watch and waits until it has finished its sweep in hand. */
  stop(): Promise<void>;
}

/** Watches `accountId` of `engine`, moving all backscatter, with short retries; `over` changes any of it. */
export function watchOn(engine: Engine, accountId: number, over: Partial<WatchDeps> = {}): Watching {
  const account = engine.store.account(accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  const controller = new AbortController();
  const sweeps: Sweep[] = [];
  const notices: string[] = [];
  const floods: FloodChange[] = [];
  const done = watchAccount({
    account,
    scan: (a) => engine.scan(a),
    connect: (id) => engine.connect(id),
    moves: "all",
    signal: controller.signal,
    onSweep: (sweep) => sweeps.push(sweep),
    onNotice: (text) => notices.push(text),
    onFlood: (change) => floods.push(change),
    retry: { baseMs: 1, maxMs: 5 },
    ...over,
  });
  return {
    sweeps,
    notices,
    floods,
    done,
    stop: async () => {
      controller.abort();
      await done.catch(() => undefined);
    },
  };
}
