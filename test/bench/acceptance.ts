/**
 * The engine's acceptance figures on a generated mailbox: move precision and recall against the
 * ground truth, legit mail moved, and the bytes a first scan reads compared with the least any
 * client pays (UID + ENVELOPE + BODYSTRUCTURE of every INBOX and Sent message).
 * `node dist/test/bench/acceptance.js [--inbox N] [--sent N]` (defaults 10,000 / 2,000).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../electron/engine/db/open.js";
import { createEngine } from "../../electron/engine/index.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { type Dovecot, startDovecot, writeMailbox } from "../harness/dovecot.js";
import { generateMailbox } from "../harness/generate.js";
import { liveIds, withClient } from "../harness/imap.js";

export interface Acceptance {
  inbox: number;
  sent: number;
  expectedMoves: number;
  moved: number;
  precision: number;
  recall: number;
  legitMoved: number;
  scanBytes: number;
  floorBytes: number;
  bytesRatio: number;
  scanSeconds: number;
  floorSeconds: number;
}

/** The floor: UID, ENVELOPE and BODYSTRUCTURE of every message of INBOX and Sent. */
export async function floorBytes(d: Dovecot): Promise<{ bytes: number; seconds: number }> {
  return withClient(d, async (c) => {
    const t0 = performance.now();
    c.stats(true);
    for (const folder of ["INBOX", "Sent"]) {
      const lock = await c.getMailboxLock(folder);
      try {
        if (c.mailbox && c.mailbox.exists > 0) for await (const m of c.fetch("1:*", { uid: true, envelope: true, bodyStructure: true })) void m;
      } finally {
        lock.release();
      }
    }
    return { bytes: c.stats().received, seconds: (performance.now() - t0) / 1000 };
  });
}

export async function runAcceptance(inboxCount: number, sentCount: number): Promise<Acceptance> {
  const d = await startDovecot();
  const dir = mkdtempSync(join(tmpdir(), "bss-accept-"));
  try {
    const box = generateMailbox(inboxCount, sentCount);
    writeMailbox(d, box);
    // Let Dovecot index both folders once, so neither measurement pays for that.
    await floorBytes(d);
    const floor = await floorBytes(d);
    const engine = createEngine({ db: openDatabase(join(dir, "profile.sqlite")), secrets: memorySecrets() });
    const account = await engine.accountAdd({ account: { host: d.host, port: d.port, security: "plain", user: "alice@example.org" }, secret: "alice-secret" });
    const t0 = performance.now();
    const dry = await engine.scan({ accountId: account.id });
    const scanSeconds = (performance.now() - t0) / 1000;
    const applied = await engine.scan({ accountId: account.id, apply: true });
    const moved = new Set(await liveIds(d, "Backscatter"));
    const expected = new Set(box.inbox.filter((m) => m.expect === "move").map((m) => m.messageId));
    const correct = [...moved].filter((id) => expected.has(id)).length;
    const legitMoved = box.inbox.filter((m) => m.expect === "stay" && moved.has(m.messageId)).length;
    return {
      inbox: inboxCount,
      sent: sentCount,
      expectedMoves: expected.size,
      moved: applied.moved,
      precision: moved.size === 0 ? 1 : correct / moved.size,
      recall: expected.size === 0 ? 1 : correct / expected.size,
      legitMoved,
      scanBytes: dry.bytesFetched,
      floorBytes: floor.bytes,
      bytesRatio: dry.bytesFetched / floor.bytes,
      scanSeconds,
      floorSeconds: floor.seconds,
    };
  } finally {
    await d.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

if (process.argv[1]?.endsWith("acceptance.js")) {
  const r = await runAcceptance(arg("inbox", 10_000), arg("sent", 2_000));
  process.stdout.write(
    [
      `generated mailbox: ${r.inbox} inbox, ${r.sent} sent; ${r.expectedMoves} backscatter by construction`,
      `move precision ${r.precision.toFixed(3)}, recall ${r.recall.toFixed(3)}, legit messages moved ${r.legitMoved} (moved ${r.moved})`,
      `first scan read ${r.scanBytes} bytes in ${r.scanSeconds.toFixed(2)} s; floor (UID+ENVELOPE+BODYSTRUCTURE) ${r.floorBytes} bytes in ${r.floorSeconds.toFixed(2)} s; ratio ${r.bytesRatio.toFixed(3)}`,
    ].join("\n") + "\n",
  );
}
