// The disk fills up during a scan: the profile lives on a small tmpfs (mounted by the test; CI
// runs as root) that a filler file has all but filled. The scan stops with the words for a full
// disk; what SQLite holds is whole (integrity check, and no verdict past its folder's
// checkpoint); once space is freed the next run finishes the job exactly.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../electron/engine/db/open.js";
import { createEngine } from "../../electron/engine/index.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { type Dovecot, startDovecot, writeMailbox } from "../harness/dovecot.js";
import { generateMailbox } from "../harness/generate.js";
import { liveIds } from "../harness/imap.js";

const box = generateMailbox(5_000, 300, 5);
const backscatter = box.inbox
  .filter((m) => m.expect === "move")
  .map((m) => m.messageId)
  .sort();
let d: Dovecot;
let mount: string;
let scratch: string;

beforeAll(async () => {
  d = await startDovecot();
  writeMailbox(d, box);
  scratch = mkdtempSync(join(tmpdir(), "bss-full-"));
  mount = join(scratch, "disk");
  execFileSync("mkdir", ["-p", mount]);
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", mount]);
}, 120_000);

afterAll(async () => {
  if (mount) execFileSync("umount", [mount]);
  await d?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const files = (path: string): number => ["", "-wal", "-shm"].reduce((n, s) => n + (existsSync(path + s) ? statSync(path + s).size : 0), 0);

async function engineAt(path: string): Promise<{ engine: ReturnType<typeof createEngine>; accountId: number; close(): void }> {
  const db = openDatabase(path);
  const engine = createEngine({ db, secrets: memorySecrets() });
  const { id } = await engine.accountAdd({ account: { host: d.host, port: d.port, security: "plain", user: "alice@example.org" }, secret: "alice-secret" });
  return { engine, accountId: id, close: () => db.close() };
}

/** Fills the tmpfs until the kernel says no, then frees `room` bytes. */
function fillLeaving(room: number): string {
  const filler = join(mount, "filler");
  const block = Buffer.alloc(64 * 1024, 1);
  let written = 0;
  try {
    for (;;) {
      writeFileSync(filler, block, { flag: "a" });
      written += block.length;
    }
  } catch (error) {
    expect((error as { code?: string }).code).toBe("ENOSPC");
  }
  execFileSync("truncate", ["-s", String(Math.max(0, written - room)), filler]);
  return filler;
}

describe("the disk fills up during a scan", () => {
  it("stops with the words for a full disk, leaves no half-written state, and the next run finishes exactly", { timeout: 300_000 }, async () => {
    // How much a whole scan writes, measured on a disk with room.
    const calibration = await engineAt(join(scratch, "calibration.sqlite"));
    await calibration.engine.scan({ accountId: calibration.accountId });
    calibration.close();
    const needed = files(join(scratch, "calibration.sqlite"));

    const path = join(mount, "profile.sqlite");
    const { engine, accountId, close } = await engineAt(path);
    const filler = fillLeaving(Math.floor(needed / 2));
    await expect(engine.scan({ accountId, apply: true })).rejects.toThrow(
      "The disk is full, so the app could not save its work. Nothing was half-written: what was finished is kept. Free some space and run it again.",
    );
    expect(await liveIds(d, "Backscatter")).toEqual([]);

    // Whole: SQLite's own check, and every verdict stored belongs to a chunk whose checkpoint was stored with it.
    const look = new Database(path, { readonly: true });
    expect(look.pragma("integrity_check", { simple: true })).toBe("ok");
    const checkpoint =
      look.prepare<[], { last_uid: number }>("SELECT last_uid FROM folder_state WHERE folder = 'INBOX' AND role = 'scan'").get()?.last_uid ?? 0;
    const newest = look.prepare<[], { m: number | null }>("SELECT max(uid) AS m FROM item WHERE folder = 'INBOX'").get()?.m ?? 0;
    expect(checkpoint, "the disk should fill after the first chunk, so there is partial state to check").toBeGreaterThan(0);
    expect(newest).toBeLessThanOrEqual(checkpoint);
    const sentCheckpoint =
      look.prepare<[], { last_uid: number }>("SELECT last_uid FROM folder_state WHERE folder = 'Sent' AND role = 'sent'").get()?.last_uid ?? 0;
    expect(look.prepare<[], { n: number }>("SELECT count(*) AS n FROM sent_message").get()?.n).toBe(sentCheckpoint);
    look.close();

    unlinkSync(filler);
    const finished = await engine.scan({ accountId, apply: true });
    expect(finished.errors).toEqual([]);
    expect(await liveIds(d, "Backscatter")).toEqual(backscatter);
    expect((await engine.status({ accountId })).sentIndexed).toBe(box.sent.length);
    close();
  });
});
