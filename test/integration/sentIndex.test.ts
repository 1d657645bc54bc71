// The sent index is stored several fetches at a time (SENT_COMMIT_UIDS), each store with its
// checkpoint: a scan stopped while indexing keeps what was committed, and the next one fetches
// only the rest.
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uidChunks } from "../../electron/engine/context.js";
import { SENT_CHUNK, SENT_COMMIT_UIDS } from "../../electron/engine/sentIndexer.js";
import type { Progress } from "../../shared/model.js";
import { type Dovecot, startDovecot, writeMailbox } from "../harness/dovecot.js";
import { engineFor, type EngineSetup } from "../harness/engine.js";
import { generateMailbox } from "../harness/generate.js";

const SENT = SENT_COMMIT_UIDS + 300;
/** Cancelled after this many sent UIDs were fetched: past one commit, short of the next. */
const STOP_AT = SENT_COMMIT_UIDS + SENT_CHUNK;

let d: Dovecot;
let setup: EngineSetup;
const indexed: Progress[] = [];
let cancelAt: number | null = STOP_AT;

beforeAll(async () => {
  d = await startDovecot();
  const box = generateMailbox(20, SENT, 11);
  writeMailbox(d, box);
  setup = await engineFor(d, {
    emit: (_event, p) => {
      if (p.phase !== "index") return;
      indexed.push(p);
      if (cancelAt !== null && p.done >= cancelAt) void setup.engine.cancel({});
    },
  });
}, 120_000);

afterAll(async () => {
  await d?.stop();
  setup?.dispose();
});

/** What the profile holds of the sent folder: its checkpoint and how many Message-IDs. */
function stored(): { lastUid: number | undefined; ids: number } {
  const db = new Database(join(setup.dir, "profile.sqlite"), { readonly: true });
  try {
    const state = db.prepare("SELECT last_uid FROM folder_state WHERE folder = 'Sent' AND role = 'sent'").get() as { last_uid: number } | undefined;
    const ids = db.prepare("SELECT count(*) AS n FROM sent_message").get() as { n: number };
    return { lastUid: state?.last_uid, ids: ids.n };
  } finally {
    db.close();
  }
}

describe("the sent index, stored in batches", () => {
  it("keeps the batches committed before a stop, and not the fetches after them", { timeout: 60_000 }, async () => {
    expect(SENT_COMMIT_UIDS % SENT_CHUNK).toBe(0);
    await expect(setup.engine.scan({ accountId: setup.accountId })).rejects.toThrow("Cancelled.");
    // Fetched in chunks of SENT_CHUNK, stopped after the one past the first batch.
    expect(indexed.map((p) => p.done)).toEqual(uidChunks(1, STOP_AT, SENT_CHUNK).map((_, i) => (i + 1) * SENT_CHUNK));
    expect(stored()).toEqual({ lastUid: SENT_COMMIT_UIDS, ids: SENT_COMMIT_UIDS });
  });

  it("goes on from the last batch: the rest is fetched once, and every sent message is indexed", { timeout: 60_000 }, async () => {
    cancelAt = null;
    indexed.length = 0;
    const r = await setup.engine.scan({ accountId: setup.accountId });
    expect(r.scanned).toBe(20);
    expect(indexed.at(-1)?.done).toBe(SENT - SENT_COMMIT_UIDS);
    expect(stored()).toEqual({ lastUid: SENT, ids: SENT });
  });
});
