/** An engine on a fresh SQLite file in a temp dir, with alice's account on a test Dovecot. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../electron/engine/db/open.js";
import { createEngine, type Engine, type EngineDeps } from "../../electron/engine/index.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import type { Account, AccountInput } from "../../shared/model.js";
import { afterAll, beforeAll } from "vitest";
import { startDovecot, type Dovecot, type DovecotOptions } from "./dovecot.js";

/** alice's account on `d`, over plain IMAP on loopback, as the store would give it (for sessions opened without an engine). */
export function plainAccount(d: Dovecot, over: Partial<Account> = {}): Account {
  return testAccount({ port: d.port, ...over });
}

/** alice's account with every setting at its default, as the store gives it back (port 143 on loopback unless `over` says). */
export function testAccount(over: Partial<Account> = {}): Account {
  return {
    id: 1,
    name: "test",
    host: "127.0.0.1",
    port: 143,
    security: "plain",
    user: "alice@example.org",
    pinnedFingerprint: null,
    sentFolders: [],
    scanFolders: ["INBOX"],
    destination: "Backscatter",
    trustedIdPatterns: [],
    scheduleMinutes: null,
    autoMove: "off",
    watch: true,
    dailyBudgetMb: null,
    cleanupDays: null,
    oauth: null,
    ...over,
  };
}

export interface EngineSetup {
  engine: Engine;
  accountId: number;
  dir: string;
  /** Removes the temp dir (the database with it). */
  dispose(): void;
}

/** An engine on a fresh profile with alice's account on `d` (or on `port`, a proxy in front of it). */
export async function engineFor(d: Dovecot, deps: Partial<Omit<EngineDeps, "db">> = {}, account: Partial<AccountInput> = {}): Promise<EngineSetup> {
  const dir = mkdtempSync(join(tmpdir(), "bss-engine-"));
  const engine = createEngine({ db: openDatabase(join(dir, "profile.sqlite")), secrets: memorySecrets(), ...deps });
  const added = await engine.accountAdd({
    account: { host: d.host, port: d.port, security: "plain", user: "alice@example.org", ...account },
    secret: d.users["alice@example.org"] ?? "",
  });
  return { engine, accountId: added.id, dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface LiveSetup {
  d: Dovecot;
  engine: Engine;
  accountId: number;
}

/**
 * Registers beforeAll/afterAll for a test file: a Dovecot (with `options`), filled by `fill`,
 * and an engine with alice's account on it. The returned object is complete once beforeAll ran.
 */
export function liveEngine(fill: (d: Dovecot) => Promise<void>, options: DovecotOptions = {}, deps: Partial<Omit<EngineDeps, "db">> = {}): LiveSetup {
  const live = {} as LiveSetup;
  let setup: EngineSetup | undefined;
  beforeAll(async () => {
    live.d = await startDovecot(options);
    await fill(live.d);
    setup = await engineFor(live.d, deps);
    live.engine = setup.engine;
    live.accountId = setup.accountId;
  }, 120_000);
  afterAll(async () => {
    await live.d?.stop();
    setup?.dispose();
  });
  return live;
}
