/**
 * One process at a time per account, across processes sharing a profile: the holder's PID and
 * identity are written in a transaction; a lease whose process no longer runs (killed, crashed, a
 * zombie waiting to be reaped, or its PID now someone else's) is taken over.
 */
import { readFileSync } from "node:fs";
import type { Db } from "./open.js";

/** This boot's id (Linux), so that a start time from before a reboot never matches. */
function bootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return "";
  }
}

/**
 * Who runs as `pid`, or null when nobody does. On Linux: the boot and the process's start time
 * (field 22 of /proc/PID/stat), and a zombie counts as gone. Elsewhere: "alive" when signal 0
 * reaches it (EPERM: it runs, as someone else), which cannot tell a reused PID.
 */
export function processIdentity(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") return null;
    return `${bootId()}:${fields[19] ?? ""}`;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT" && process.platform === "linux") return null;
  }
  try {
    process.kill(pid, 0);
    return "alive";
  } catch (error) {
    return (error as { code?: unknown }).code === "EPERM" ? "alive" : null;
  }
}

export interface Leases {
  /** Takes the account's lease for `pid`; returns the PID of another live holder instead, if there is one. */
  acquire(accountId: number, pid: number): number | null;
  release(accountId: number, pid: number): void;
}

export function createLeases(db: Db, identity: (pid: number) => string | null = processIdentity, now: () => number = Date.now): Leases {
  const holder = db.prepare<[number], { pid: number; holder: string | null }>("SELECT pid, holder FROM lease WHERE account_id = ?");
  const take = db.prepare(
    "INSERT INTO lease (account_id, pid, since, holder) VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET pid = excluded.pid, since = excluded.since, holder = excluded.holder",
  );
  const drop = db.prepare("DELETE FROM lease WHERE account_id = ? AND pid = ?");
  const acquire = db.transaction((accountId: number, pid: number): number | null => {
    const current = holder.get(accountId);
    if (current && current.pid !== pid) {
      const now = identity(current.pid);
      // The same PID is the holder only while it is the same process (a lease without an identity predates it).
      if (now !== null && (current.holder === null || current.holder === now)) return current.pid;
    }
    take.run(accountId, pid, now(), identity(pid));
    return null;
  });
  return {
    // IMMEDIATE: two processes checking at once must not both see the lease free.
    acquire: (accountId, pid) => acquire.immediate(accountId, pid),
    release: (accountId, pid) => void drop.run(accountId, pid),
  };
}
