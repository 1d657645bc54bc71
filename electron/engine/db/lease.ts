/**
 * One process at a time per account, across processes sharing a profile: the holder's PID is
 * written in a transaction; a lease whose process no longer runs (killed, crashed) is taken over.
 */
import type { Db } from "./open.js";

/** Whether a process runs: signal 0 checks without sending anything (EPERM: it runs, as someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === "EPERM";
  }
}

export interface Leases {
  /** Takes the account's lease for `pid`; returns the PID of another live holder instead, if there is one. */
  acquire(accountId: number, pid: number): number | null;
  release(accountId: number, pid: number): void;
}

export function createLeases(db: Db, alive: (pid: number) => boolean = processAlive, now: () => number = Date.now): Leases {
  const holder = db.prepare<[number], { pid: number }>("SELECT pid FROM lease WHERE account_id = ?");
  const take = db.prepare("INSERT INTO lease (account_id, pid, since) VALUES (?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET pid = excluded.pid, since = excluded.since");
  const drop = db.prepare("DELETE FROM lease WHERE account_id = ? AND pid = ?");
  const acquire = db.transaction((accountId: number, pid: number): number | null => {
    const current = holder.get(accountId)?.pid;
    if (current !== undefined && current !== pid && alive(current)) return current;
    take.run(accountId, pid, now());
    return null;
  });
  return {
    // IMMEDIATE: two processes checking at once must not both see the lease free.
    acquire: (accountId, pid) => acquire.immediate(accountId, pid),
    release: (accountId, pid) => void drop.run(accountId, pid),
  };
}
