// The engine end to end against a real Dovecot: scan, apply, rerun, undo — on a server with
// MOVE and UIDPLUS, and on servers without each.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../electron/engine/db/open.js";
import { createEngine, type Engine } from "../../electron/engine/index.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { contents, liveIds, seed } from "../harness/imap.js";
import { scenario, USERS_OWN_DELETED, type SeedMessage } from "../harness/mailbox.js";

interface Setup {
  dovecot: Dovecot;
  engine: Engine;
  accountId: number;
  messages: SeedMessage[];
  dir: string;
}

async function setUp(hide: string[], extra: SeedMessage[] = []): Promise<Setup> {
  const dovecot = await startDovecot({ hide });
  const messages = [...scenario(2), ...extra];
  await seed(dovecot, messages);
  const dir = mkdtempSync(join(tmpdir(), "bss-engine-"));
  const engine = createEngine({ db: openDatabase(join(dir, "profile.sqlite")), secrets: memorySecrets() });
  const account = await engine.accountAdd({
    account: { host: dovecot.host, port: dovecot.port, security: "plain", user: "alice@example.org" },
    secret: "alice-secret",
  });
  return { dovecot, engine, accountId: account.id, messages, dir };
}

const ids = (messages: readonly SeedMessage[], folder: string, expect?: string): string[] =>
  messages
    .filter((m) => m.folder === folder && (expect === undefined || m.expect === expect))
    .map((m) => m.messageId)
    .sort();

describe.each([
  ["MOVE and UIDPLUS", []],
  ["no MOVE", ["MOVE"]],
  ["no UIDPLUS", ["UIDPLUS"]],
  ["neither MOVE nor UIDPLUS", ["MOVE", "UIDPLUS"]],
])("against Dovecot with %s", (_name, hide) => {
  let s: Setup;
  const userDeleted = USERS_OWN_DELETED;

  beforeAll(async () => {
    s = await setUp(hide, [userDeleted]);
  }, 60_000);
  afterAll(async () => {
    await s?.dovecot.stop();
    if (s) rmSync(s.dir, { recursive: true, force: true });
  });

  it("a dry run flags without moving and leaves every message unread", async () => {
    const summary = await s.engine.scan({ accountId: s.accountId });
    expect(summary.moved).toBe(0);
    expect(summary.counts.backscatter).toBe(ids(s.messages, "INBOX", "move").length);
    expect(summary.counts.legit).toBeGreaterThanOrEqual(6);
    expect(summary.counts.unverifiable).toBe(2);
    const inbox = await contents(s.dovecot, "INBOX");
    expect(inbox.filter((m) => m.flags.includes("\\Seen"))).toEqual([]);
    expect(await liveIds(s.dovecot, "Backscatter")).toEqual([]);
    const reasons = summary.flagged.filter((f) => f.verdict === "backscatter").map((f) => f.reason);
    expect(reasons.every((r) => /never sent/.test(r))).toBe(true);
  });

  it("apply moves exactly the backscatter, and nothing else", async () => {
    const summary = await s.engine.scan({ accountId: s.accountId, apply: true });
    expect(summary.moved).toBe(ids(s.messages, "INBOX", "move").length);
    expect(await liveIds(s.dovecot, "Backscatter")).toEqual(ids(s.messages, "INBOX", "move"));
    expect(await liveIds(s.dovecot, "INBOX")).toEqual(ids(s.messages, "INBOX", "stay").filter((i) => i !== userDeleted.messageId));
    // The user's own \Deleted message is still there: no plain EXPUNGE was ever sent.
    const own = (await contents(s.dovecot, "INBOX")).find((m) => m.messageId === userDeleted.messageId);
    expect(own?.flags).toContain("\\Deleted");
    // Without MOVE and UIDPLUS the originals can only be flagged: the user is told.
    if (hide.length === 2) {
      expect(summary.warnings.join(" ")).toMatch(/UIDPLUS/);
      const flagged = (await contents(s.dovecot, "INBOX"))
        .filter((m) => m.flags.includes("\\Deleted"))
        .map((m) => m.messageId)
        .sort();
      expect(flagged).toEqual([...ids(s.messages, "INBOX", "move"), userDeleted.messageId].sort());
    } else {
      expect(summary.warnings).toEqual([]);
    }
  });

  it("a second run moves nothing", async () => {
    const summary = await s.engine.scan({ accountId: s.accountId, apply: true });
    expect(summary.moved).toBe(0);
    expect(await liveIds(s.dovecot, "Backscatter")).toEqual(ids(s.messages, "INBOX", "move"));
  });

  it("undo restores every moved message to the inbox", async () => {
    const undone = await s.engine.undo({ accountId: s.accountId });
    expect(undone.restored).toBe(ids(s.messages, "INBOX", "move").length);
    expect(await liveIds(s.dovecot, "Backscatter")).toEqual([]);
    expect(await liveIds(s.dovecot, "INBOX")).toEqual(ids(s.messages, "INBOX").filter((i) => i !== userDeleted.messageId));
  });
});
