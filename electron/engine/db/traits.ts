/** What each account's server proved about itself (migration 0010), read back only for the same host. */
import type { TraitName } from "../ports.js";
import type { Db } from "./open.js";

export function createTraits(db: Db, now: () => number) {
  const q = {
    get: db.prepare<[number, string, string], { value: string }>("SELECT value FROM server_trait WHERE account_id = ? AND name = ? AND host = ?"),
    set: db.prepare("INSERT OR REPLACE INTO server_trait (account_id, name, host, value, proved_at) VALUES (?, ?, ?, ?, ?)"),
  };
  return {
    /** The value proved on `host`, or null when it was not, or on another server. */
    serverTrait: (accountId: number, host: string, name: TraitName): string | null => q.get.get(accountId, name, host.toLowerCase())?.value ?? null,
    setServerTrait: (accountId: number, host: string, name: TraitName, value: string): void =>
      void q.set.run(accountId, name, host.toLowerCase(), value, now()),
  };
}
