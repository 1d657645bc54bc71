/** An engine on a real SQLite file in a temp dir, whose IMAP sessions are a {@link FakeImapServer}'s. */
import { mkdtempSync, rmSync } from "node:fs";
import { afterEach } from "vitest";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../electron/engine/db/open.js";
import { createEngine, type Engine, type EngineDeps } from "../../electron/engine/index.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { FakeImapServer, type FakeSession } from "./fakeImap.js";
import type { SeedMessage } from "./mailbox.js";

export interface FakeSetup {
  server: FakeImapServer;
  engine: Engine;
  accountId: number;
  /** Every session the engine opened, in order. */
  sessions: FakeSession[];
  dispose(): void;
}

export async function fakeEngine(
  seed: readonly SeedMessage[] = [],
  deps: Partial<Omit<EngineDeps, "db" | "secrets" | "openSession">> = {},
  server = new FakeImapServer(),
): Promise<FakeSetup> {
  for (const m of seed) server.append(m.folder, m.raw, m.flags ?? []);
  const dir = mkdtempSync(join(tmpdir(), "bss-fake-"));
  const sessions: FakeSession[] = [];
  const engine = createEngine({
    db: openDatabase(join(dir, "profile.sqlite")),
    secrets: memorySecrets(),
    readAhead: false,
    retry: { attempts: 3, baseMs: 1, maxMs: 1 },
    ...deps,
    openSession: async (account) => {
      const session = server.connect(account);
      sessions.push(session);
      return session;
    },
  });
  const { id } = await engine.accountAdd({ account: { host: "imap.fake.example", port: 993, security: "tls", user: "alice@example.org" }, secret: "secret" });
  return { server, engine, accountId: id, sessions, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** {@link fakeEngine} for a test file: every setup it makes is disposed of after each test. */
export function fakeEngines(): (...args: Parameters<typeof fakeEngine>) => Promise<FakeSetup> {
  const setups: FakeSetup[] = [];
  afterEach(() => setups.splice(0).forEach((s) => s.dispose()));
  return async (...args) => {
    const s = await fakeEngine(...args);
    setups.push(s);
    return s;
  };
}
