// SIGKILL at random moments: `scan --apply` and `undo --all` (the real CLI, as its own process)
// are killed again and again against a real Dovecot, then run once to the end. After that:
// every message exists exactly once without \Deleted, the destination holds exactly the
// backscatter, and undo restores all of it. With MOVE, and with our own COPY fallback.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dovecot, startDovecot, writeMailbox } from "../harness/dovecot.js";
import { generateMailbox, prng } from "../harness/generate.js";
import { contents, seed } from "../harness/imap.js";
import { USERS_OWN_DELETED, type SeedMessage } from "../harness/mailbox.js";
import { REPO_ROOT } from "../harness/paths.js";

/** Kills per command (scan --apply, undo) and server variant: 4 × 15 = 60 in CI; `npm run chaos` sets more. */
const KILLS = Number(process.env["BSS_KILLS"] ?? 15);
const BIN = join(REPO_ROOT, "bin", "backscatter-sweeper.js");

interface Run {
  ms: number;
  code: number | null;
  signal: string | null;
  stderr: string;
}

/** Runs the CLI; kills it with SIGKILL after `killAfterMs` unless it finished first. */
function run(args: string[], env: Record<string, string>, killAfterMs: number | null): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ ms: performance.now() - started, code, signal, stderr });
    });
  });
}

/** Where each message is: its Message-ID → how many copies (live only, unless `withDeleted`) in INBOX and the destination. */
async function census(d: Dovecot, withDeleted = false): Promise<{ inbox: Map<string, number>; dest: Map<string, number> }> {
  const count = async (folder: string): Promise<Map<string, number>> => {
    const m = new Map<string, number>();
    for (const p of await contents(d, folder)) if (withDeleted || !p.flags.includes("\\Deleted")) m.set(p.messageId, (m.get(p.messageId) ?? 0) + 1);
    return m;
  };
  return { inbox: await count("INBOX"), dest: await count("Backscatter") };
}

describe.each([
  ["MOVE", []],
  ["our COPY fallback (no MOVE)", ["MOVE"]],
])("SIGKILL during scan --apply and undo, with %s", (_name, hide) => {
  let d: Dovecot;
  let dir: string;
  let inbox: SeedMessage[];
  const userDeleted = USERS_OWN_DELETED;

  beforeAll(async () => {
    d = await startDovecot({ hide });
    const box = generateMailbox(1_200, 150, 11);
    inbox = box.inbox;
    writeMailbox(d, box);
    await seed(d, [userDeleted]);
    dir = mkdtempSync(join(tmpdir(), "bss-chaos-"));
  }, 120_000);
  afterAll(async () => {
    await d?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    `survives ${2 * KILLS} kills, then finishes: every message once, the destination exactly the backscatter, undo restores all`,
    { timeout: 600_000 },
    async () => {
      const url = `imap://alice%40example.org@127.0.0.1:${d.port}`;
      const env = { BSS_PW: "alice-secret", XDG_DATA_HOME: dir };
      const common = ["--password-env", "BSS_PW", "--db", join(dir, "profile.sqlite")];
      const rnd = prng(hide.length + 1);
      let killsTotal = 0;
      /**
       * Runs `args` until it has been killed `kills` times at a random moment within the time a
       * whole run took last (a run that finishes first is checked, and sets that time). After each kill nothing may be lost: every message
       * still has a copy somewhere, even if \\Deleted or doubled until the next run settles it.
       */
      const killRepeatedly = async (args: string[], kills: number): Promise<void> => {
        let killed = 0;
        let whole = 1500;
        for (let attempt = 0; killed < kills; attempt++) {
          expect(attempt, "runs keep finishing before the kill; the mailbox is too small to prove anything").toBeLessThan(kills * 4);
          const r = await run(args, env, 40 + Math.floor(rnd() * whole * 0.9));
          if (r.signal !== "SIGKILL") {
            expect(r.code, r.stderr).toBe(0);
            whole = r.ms;
            continue;
          }
          killed++;
          const now = await census(d, true);
          for (const m of inbox)
            expect((now.inbox.get(m.messageId) ?? 0) + (now.dest.get(m.messageId) ?? 0), `${m.messageId} lost after a kill`).toBeGreaterThan(0);
        }
        killsTotal += killed;
      };
      const backscatter = new Set(inbox.filter((m) => m.expect === "move").map((m) => m.messageId));

      await killRepeatedly(["scan", url, "--apply", ...common], KILLS);
      const finish = await run(["scan", url, "--apply", ...common], env, null);
      expect(finish.code, finish.stderr).toBe(0);
      const after = await census(d);
      for (const m of inbox) {
        const copies = (after.inbox.get(m.messageId) ?? 0) + (after.dest.get(m.messageId) ?? 0);
        expect(copies, `${m.messageId} (${m.label})`).toBe(1);
        expect(after.dest.has(m.messageId), `${m.messageId} (${m.label})`).toBe(backscatter.has(m.messageId));
      }
      expect([...after.dest.keys()].filter((id) => !backscatter.has(id))).toEqual([]);

      await killRepeatedly(["undo", url, "--all", ...common], KILLS);
      const undo = await run(["undo", url, "--all", ...common], env, null);
      expect(undo.code, undo.stderr).toBe(0);
      const restored = await census(d);
      expect(restored.dest.size).toBe(0);
      for (const m of inbox) expect(restored.inbox.get(m.messageId), m.messageId).toBe(1);
      // The user's own \Deleted message was never expunged.
      expect((await contents(d, "INBOX")).some((p) => p.messageId === userDeleted.messageId)).toBe(true);
      expect(killsTotal).toBe(2 * KILLS);
    },
  );
});
