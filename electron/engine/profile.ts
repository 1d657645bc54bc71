/**
 * The engine on a profile's database file, for hosts with a UI (`serve`, the desktop app). When
 * the file cannot be used — damaged, or written by a newer version — the host still starts: every
 * call says why in words, and `profileRebuild` starts a fresh database (the old file is kept, and
 * what the server cannot tell us again is carried over), then the engine runs on it.
 */
import { CORE_METHODS, type CoreApi, type AppApi, type EngineEvents, type HostApi } from "../../shared/api.js";
import { createBackground } from "./background.js";
import { DatabaseError, describeDatabaseError, openDatabase, type Db } from "./db/open.js";
import { rebuildDatabase } from "./db/rebuild.js";
import { createEngine, type Engine, type EngineDeps } from "./index.js";
import type { SchedulerTimers } from "./scheduler.js";
import type { SecretStore } from "./secrets.js";
import { createWatching, type WatchingDeps } from "./watch/watching.js";

export interface ProfileOptions {
  path: string;
  secrets: SecretStore;
  emit?: <K extends keyof EngineEvents>(event: K, payload: EngineEvents[K]) => void;
  /** Anything else the engine takes (tests: retry policy, sessions). */
  deps?: Partial<Omit<EngineDeps, "db" | "secrets" | "emit">>;
  /** The scheduled scans' timers (tests: a fake clock). */
  timers?: SchedulerTimers;
  /** Watching's waits (tests: shorter). */
  watch?: WatchingDeps["tuning"];
}

export interface Profile {
  engine: AppApi;
  /** Stops the schedule and every watch (each finishes the sweep in hand), then closes the database. */
  close(): Promise<void>;
}

/** The rebuild in words a user understands. */
export function describeRebuild(r: ReturnType<typeof rebuildDatabase>): string {
  const carried = `${r.carried.accounts} account${r.carried.accounts === 1 ? "" : "s"}, ${r.carried.rules} "not backscatter" rule${r.carried.rules === 1 ? "" : "s"} and ${r.carried.moves} recorded move${r.carried.moves === 1 ? "" : "s"} were carried over`;
  return `A fresh database was started; the old file is kept as ${r.backup}. ${carried}; what was learned from your mail is read again from the server on the next scan.${r.lost.length > 0 ? ` ${r.lost.join(" ")}` : ""}`;
}

export function openProfile(options: ProfileOptions): Profile {
  let db: Db | null = null;
  let engine: Engine | null = null;
  let problem: DatabaseError | null = null;
  // Scheduled scans and sweeps go through `api` below, so a damaged database found by one is handled like any call's.
  const watching = createWatching({
    engine: {
      scan: (args) => api.scan(args),
      connect: (accountId) => (engine ? engine.connect(accountId) : Promise.reject(problem ?? new Error("The database is not open."))),
    },
    scanned: (accountId) => engine?.store.lastRun(accountId, "scan") != null,
    ...(options.emit ? { emit: options.emit } : {}),
    ...(options.watch ? { tuning: options.watch } : {}),
  });
  const background = createBackground({
    engine: { scan: (args) => api.scan(args) },
    watchState: (accountId) => watching.state(accountId),
    ...(options.emit ? { emit: options.emit } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
  });
  const resync = (): void => {
    const accounts = engine ? engine.store.accounts() : [];
    background.sync(accounts);
    watching.sync(accounts);
  };
  const start = (): void => {
    try {
      db = openDatabase(options.path);
      engine = createEngine({ ...options.deps, db, secrets: options.secrets, ...(options.emit ? { emit: options.emit } : {}) });
      problem = null;
    } catch (error) {
      if (!(error instanceof DatabaseError)) throw error;
      problem = error;
    }
    resync();
  };

  const host: HostApi = {
    profileStatus: async () => (problem ? { ok: false, problem: problem.code, message: problem.message, path: options.path } : { ok: true }),
    async profileRebuild() {
      if (!problem) throw new Error("The database is in order; there is nothing to rebuild.");
      const r = rebuildDatabase(options.path);
      start();
      return { message: describeRebuild(r), backup: r.backup };
    },
    scheduleStatus: async () => background.status(),
    async schedulePause({ paused }) {
      background.pause(paused);
      watching.pause(paused);
      return background.status();
    },
    async scheduleRunNow({ accountId }) {
      await background.runNow(accountId);
      return background.status();
    },
  };
  // Every engine method goes to the engine, or says why there is none; account changes re-sync the schedule.
  const forward =
    (name: keyof CoreApi) =>
    async (args: never): Promise<unknown> => {
      if (!engine) throw problem ?? new Error("The database is not open.");
      try {
        const result = await (engine[name] as (a: never) => Promise<unknown>).call(engine, args);
        // Account changes re-sync the schedule and the watches; a first scan lets the account's watch start.
        if (name === "accountAdd" || name === "accountUpdate" || name === "accountRemove" || name === "scan") resync();
        return result;
      } catch (error) {
        // Another call (a sweep of new mail) found damage and closed the database under this one: the same answer.
        if (problem && !engine) throw problem;
        // Damage found while running (a page SQLite cannot read): from now on the UI offers the rebuild.
        const damaged = describeDatabaseError(error);
        if (damaged?.code === "corrupt") {
          problem = damaged;
          engine = null;
          (db as Db | null)?.close();
          db = null;
          resync();
          throw damaged;
        }
        throw error;
      }
    };
  const api = { ...Object.fromEntries(CORE_METHODS.map((name) => [name, forward(name)])), ...host } as unknown as AppApi;
  start();
  return {
    engine: api,
    close: async () => {
      background.stop();
      await watching.stop();
      (db as Db | null)?.close();
    },
  };
}
