/**
 * The watch step: `watch --apply --json` (the real CLI, its own process) on a Dovecot holding an
 * inbox it has already swept, then mail appended at one a second and in a burst of 500 (one
 * MULTIAPPEND). Latency is from the APPEND's answer to the watch's line saying the message moved;
 * CPU and RSS of the watching process come from /proc while nothing arrives.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDovecot, writeMaildir } from "../harness/dovecot.js";
import { mailboxStream } from "../harness/generate.js";
import { multiAppend, withClient } from "../harness/imap.js";
import { REPO_ROOT } from "../harness/paths.js";

export interface WatchResult {
  /** Messages already in the inbox when the watch started, and the sent index. */
  inbox: number;
  sent: number;
  steady: { arrivals: number; backscatter: number; p50Ms: number; p95Ms: number; maxMs: number };
  burst: { arrivals: number; backscatter: number; p50Ms: number; p95Ms: number; allSweptMs: number };
  /** CPU of the watching process over `idleSeconds` with nothing arriving, in % of one core. */
  idleCpuPercent: number;
  idleSeconds: number;
  /** Resident memory while idle after the burst, and the peak over the whole watch (its first sweep of the backlog included). */
  rssMb: number;
  peakRssMb: number;
}

const CLOCK_TICKS = 100;

/** utime + stime of a process, in seconds (/proc/PID/stat). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function memoryMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0) / 1024;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the step; `log` gets progress lines. */
export async function runWatchBench(inbox: number, sent: number, log: (line: string) => void): Promise<WatchResult> {
  const d = await startDovecot();
  const dir = mkdtempSync(join(tmpdir(), "bss-bench-watch-"));
  let child: ChildProcess | null = null;
  try {
    const stream = mailboxStream(sent, { seed: 99 });
    writeMaildir(
      d,
      "Sent",
      [...stream.sent()].map((m) => m.raw),
    );
    writeMaildir(
      d,
      "INBOX",
      [...stream.inbox(0, inbox)].map((m) => m.raw),
    );
    const movedAt = new Map<string, number>();
    let out = "";
    const url = `imap://alice%40example.org@127.0.0.1:${d.port}`;
    const watching = spawn(
      process.execPath,
      [join(REPO_ROOT, "bin", "backscatter-sweeper.js"), "watch", url, "--password-env", "BSS_PW", "--apply", "--json", "--db", join(dir, "p.sqlite")],
      {
        env: { ...process.env, BSS_PW: d.users["alice@example.org"] ?? "", BSS_DNS: "off" },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    child = watching;
    watching.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const lines = out.split("\n");
      out = lines.pop() ?? "";
      const at = performance.now();
      for (const line of lines) {
        const l = JSON.parse(line) as { messageId?: string; moved?: boolean };
        if (l.moved && l.messageId) movedAt.set(l.messageId, at);
      }
    });
    const pid = watching.pid ?? 0;
    log(`watch: sweeping the ${inbox} messages already there`);
    const backlog = [...stream.inbox(0, inbox)].filter((m) => m.expect === "move").length;
    while (movedAt.size < backlog) await sleep(100);
    await sleep(2000);

    const latencies = async (ids: readonly string[], appendedAt: Map<string, number>, timeoutMs: number): Promise<number[]> => {
      const end = performance.now() + timeoutMs;
      while (ids.some((id) => !movedAt.has(id)) && performance.now() < end) await sleep(50);
      return ids.map((id) => (movedAt.get(id) ?? Infinity) - (appendedAt.get(id) ?? 0)).sort((a, b) => a - b);
    };

    log("watch: appending 60 messages at one a second");
    const steadyMessages = [...stream.inbox(inbox, inbox + 60)];
    const steadyAt = new Map<string, number>();
    await withClient(d, async (c) => {
      for (const m of steadyMessages) {
        const started = performance.now();
        await c.append("INBOX", m.raw);
        steadyAt.set(m.messageId, performance.now());
        await sleep(Math.max(0, 1000 - (performance.now() - started)));
      }
    });
    const steadyIds = steadyMessages.filter((m) => m.expect === "move").map((m) => m.messageId);
    const steady = await latencies(steadyIds, steadyAt, 60_000);

    log("watch: a burst of 500 in one APPEND");
    const burstMessages = [...stream.inbox(inbox + 60, inbox + 560)];
    const burstStart = performance.now();
    await multiAppend(
      d,
      "INBOX",
      burstMessages.map((m) => m.raw),
    );
    const burstAt = new Map(burstMessages.map((m) => [m.messageId, performance.now()]));
    const burstIds = burstMessages.filter((m) => m.expect === "move").map((m) => m.messageId);
    const burst = await latencies(burstIds, burstAt, 120_000);
    const allSweptMs = Math.max(...burstIds.map((id) => (movedAt.get(id) ?? Infinity) - burstStart));

    const idleSeconds = 60;
    log(`watch: ${idleSeconds} s with nothing arriving`);
    await sleep(2000);
    const cpuBefore = cpuSeconds(pid);
    await sleep(idleSeconds * 1000);
    const idleCpuPercent = ((cpuSeconds(pid) - cpuBefore) / idleSeconds) * 100;
    const rssMb = memoryMb(pid, "VmRSS");
    const peakRssMb = memoryMb(pid, "VmHWM");
    return {
      inbox,
      sent,
      steady: {
        arrivals: steadyMessages.length,
        backscatter: steadyIds.length,
        p50Ms: percentile(steady, 50),
        p95Ms: percentile(steady, 95),
        maxMs: steady.at(-1) ?? NaN,
      },
      burst: { arrivals: burstMessages.length, backscatter: burstIds.length, p50Ms: percentile(burst, 50), p95Ms: percentile(burst, 95), allSweptMs },
      idleCpuPercent,
      idleSeconds,
      rssMb,
      peakRssMb,
    };
  } finally {
    child?.kill("SIGTERM");
    await d.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** [target, measured, wanted, met] for the watch's targets. */
export function judgeWatch(r: WatchResult): [string, string, string, boolean][] {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  return [
    ["watch: APPEND → moved at 1/s, p95", `${s(r.steady.p95Ms)} (p50 ${s(r.steady.p50Ms)})`, "≤ 3 s", r.steady.p95Ms <= 3000],
    ["watch: a burst of 500, all swept", `${s(r.burst.allSweptMs)} (p50 ${s(r.burst.p50Ms)}, p95 ${s(r.burst.p95Ms)})`, "≤ 30 s", r.burst.allSweptMs <= 30_000],
    ["watch: CPU while idle", `${r.idleCpuPercent.toFixed(2)} %`, "≤ 1 %", r.idleCpuPercent <= 1],
    ["watch: RSS while idle", `${r.rssMb.toFixed(0)} MB (peak ${r.peakRssMb.toFixed(0)} MB)`, "≤ 120 MB", r.rssMb <= 120],
  ];
}
