/**
 * Speed at scale: a generated mailbox (default 100,000 inbox / 20,000 sent; `--small` 10,000 /
 * 2,000) written straight into a Dovecot Maildir, then measured side by side: the floor (what
 * any client pays to look at each message), a naive scanner (every source through mailparser),
 * and ours (first scan cold and warm, rescans, moves; and, for memory against mailbox size, a
 * first scan of a tenth of the inbox with the same sent index). Each step runs in its own process.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDovecot, writeMaildir, type Dovecot } from "../harness/dovecot.js";
import { mailboxStream } from "../harness/generate.js";
import type { SeedMessage } from "../harness/mailbox.js";
import type { StepResult } from "./scaleStep.js";

export interface ScaleRow extends StepResult {
  name: string;
}

export interface ScaleResult {
  inbox: number;
  sent: number;
  /** Bytes of the Maildir files written (before the 1% new mail). */
  mailboxBytes: number;
  /** Backscatter messages by construction, the 1% new mail included. */
  backscatter: number;
  pageCacheDropped: boolean;
  rows: ScaleRow[];
}

function step(args: string[]): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", join(import.meta.dirname, "scaleStep.js"), ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}") as StepResult) : reject(new Error(`step ${args[0]} exited ${code}`))));
  });
}

/**
 * Cold: Dovecot's index and cache files removed (the UID lists stay, so UIDs do not change) and,
 * where the kernel allows it, the page cache dropped. Returns whether the page cache was dropped.
 */
function makeCold(d: Dovecot): boolean {
  const root = join(d.dir, "mail", "alice@example.org");
  const dirs = [root, ...readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name.startsWith(".")).map((e) => join(root, e.name))];
  for (const dir of dirs) for (const f of readdirSync(dir)) if (/^dovecot\.(?:index|list\.index)/.test(f)) rmSync(join(dir, f), { force: true });
  try {
    execFileSync("sh", ["-c", "sync && echo 3 > /proc/sys/vm/drop_caches"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export async function runScale(inboxCount: number, sentCount: number, log: (line: string) => void): Promise<ScaleResult> {
  const d = await startDovecot();
  const work = mkdtempSync(join(tmpdir(), "bss-scale-"));
  try {
    log(`writing ${inboxCount} inbox and ${sentCount} sent messages (realistic sizes)...`);
    const box = mailboxStream(sentCount, { sizes: "realistic" });
    let backscatter = 0;
    const raws = function* (messages: Iterable<SeedMessage>): Generator<string> {
      for (const m of messages) {
        if (m.expect === "move") backscatter++;
        yield m.raw;
      }
    };
    const rows: ScaleRow[] = [];
    const measure = async (name: string, args: string[]): Promise<ScaleRow> => {
      log(`${name}...`);
      const row = { name, ...(await step(args)) };
      rows.push(row);
      return row;
    };
    const port = String(d.port);
    // Memory against mailbox size: the same sent index, first a tenth of the inbox, then all of it.
    const tenth = Math.round(inboxCount / 10);
    let mailboxBytes = writeMaildir(d, "Sent", raws(box.sent())) + writeMaildir(d, "INBOX", raws(box.inbox(0, tenth)));
    await measure(TENTH, ["scan", port, join(work, "tenth.sqlite")]);
    mailboxBytes += writeMaildir(d, "INBOX", raws(box.inbox(tenth, inboxCount)));
    log(`${(mailboxBytes / 1e9).toFixed(2)} GB written`);
    let dropped = makeCold(d);
    await measure("floor, cold", ["floor", port]);
    await measure("floor, warm", ["floor", port]);
    dropped = makeCold(d) && dropped;
    await measure("ours: first scan, cold", ["scan", port, join(work, "cold.sqlite")]);
    const db = join(work, "warm.sqlite");
    await measure("ours: first scan, warm", ["scan", port, db]);
    await measure("ours: rescan, no new mail", ["scan", port, db]);
    writeMaildir(d, "INBOX", raws(box.inbox(inboxCount, inboxCount + Math.round(inboxCount / 100))));
    await measure("ours: rescan after 1% new mail", ["scan", port, db]);
    await measure("naive: every source through mailparser", ["naive", port]);
    await measure("ours: move 8,000", ["move", port, db, "8000"]);
    await measure("ours: --apply (moves the rest)", ["apply", port, db]);
    return { inbox: inboxCount, sent: sentCount, mailboxBytes, backscatter, pageCacheDropped: dropped, rows };
  } finally {
    await d.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const TENTH = "ours: first scan, a tenth of the inbox";

/** How much more memory (peak RSS; heap kept) a first scan of the whole inbox may take than one of a tenth of it, with the same sent index. */
const MEMORY_GROWTH = 1.2;

/** Heap kept after the first scan of the whole inbox against a tenth of it; not met when a step could not measure it. */
function keptLine(whole: number | null, tenth: number | null): [string, string, string, boolean] {
  const what = "heap kept after the first scan: whole inbox / a tenth";
  const want = `≤ ${MEMORY_GROWTH}×`;
  if (whole === null || tenth === null) return [what, "not measured (no --expose-gc)", want, false];
  return [what, `${whole.toFixed(1)} / ${tenth.toFixed(1)} MB = ${(whole / tenth).toFixed(2)}×`, want, whole <= MEMORY_GROWTH * tenth];
}

/** The targets of the issue, checked against a result: [what, measured, target, met]. */
export function judge(r: ScaleResult): [string, string, string, boolean][] {
  const get = (name: string): ScaleRow | undefined => r.rows.find((x) => x.name === name);
  const floorCold = get("floor, cold");
  const floorWarm = get("floor, warm");
  const cold = get("ours: first scan, cold");
  const warm = get("ours: first scan, warm");
  const rescan = get("ours: rescan, no new mail");
  const newMail = get("ours: rescan after 1% new mail");
  const naive = get("naive: every source through mailparser");
  const move = get("ours: move 8,000");
  const tenth = get(TENTH);
  if (!tenth || !floorCold || !floorWarm || !cold || !warm || !rescan || !newMail || !naive || !move) return [];
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  const peak = Math.max(...r.rows.filter((x) => x.name.startsWith("ours")).map((x) => x.maxRssMb));
  return [
    ["first scan / floor, cold (time)", ratio(cold.seconds, floorCold.seconds), "≤ 1.5×", cold.seconds <= 1.5 * floorCold.seconds],
    ["first scan / floor, warm (time)", ratio(warm.seconds, floorWarm.seconds), "≤ 1.5×", warm.seconds <= 1.5 * floorWarm.seconds],
    ["naive / ours (time, warm)", ratio(naive.seconds, warm.seconds), "≥ 6×", naive.seconds >= 6 * warm.seconds],
    ["bytes: first scan / floor", ratio(warm.bytes, floorWarm.bytes), "≤ 1.5×", warm.bytes <= 1.5 * floorWarm.bytes],
    ["rescan, no new mail", `${rescan.seconds.toFixed(3)} s`, "≤ 0.5 s", rescan.seconds <= 0.5],
    ["rescan after 1% new / first scan", ratio(newMail.seconds, warm.seconds), "≤ 0.1×", newMail.seconds <= 0.1 * warm.seconds],
    ["peak RSS of our steps", `${peak.toFixed(0)} MB`, "≤ 250 MB", peak <= 250],
    ["peak RSS, first scan: whole inbox / a tenth (same sent index)", `${warm.maxRssMb.toFixed(0)} / ${tenth.maxRssMb.toFixed(0)} MB = ${ratio(warm.maxRssMb, tenth.maxRssMb)}`, `≤ ${MEMORY_GROWTH}×`, warm.maxRssMb <= MEMORY_GROWTH * tenth.maxRssMb],
    keptLine(warm.heapKeptMb, tenth.heapKeptMb),
    [`move ${move.detail["moved"] ?? 0} messages`, `${move.seconds.toFixed(2)} s`, "≤ 10 s", move.seconds <= 10 && (move.detail["moved"] ?? 0) >= 8000],
  ];
}
