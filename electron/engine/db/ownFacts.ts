/** What is known of the user's own mail besides the sent index: their addresses, relays and BATV signing. */
import type { Db } from "./open.js";

export interface OwnRecord {
  /** The user's From addresses, from the sent index. */
  identities: string[];
  /** Relay hosts the user's own mail went out through. */
  relays: string[];
  /** Bounces of the user's own mail came to BATV-signed addresses. */
  batvSigned: boolean;
}

export function createOwnFactsStore(db: Db, now: () => number) {
  const identities = db.prepare<[number], { address: string }>("SELECT address FROM identity WHERE account_id = ?");
  const facts = db.prepare<[number], { kind: "relay" | "batv"; value: string }>("SELECT kind, value FROM own_fact WHERE account_id = ? ORDER BY seen_at, value");
  const add = db.prepare("INSERT OR IGNORE INTO own_fact (account_id, kind, value, seen_at) VALUES (?, ?, ?, ?)");
  const learnAll = db.transaction((accountId: number, relays: readonly string[], batv: boolean) => {
    for (const r of relays) add.run(accountId, "relay", r.toLowerCase(), now());
    if (batv) add.run(accountId, "batv", "yes", now());
  });
  return {
    ownRecord(accountId: number): OwnRecord {
      const rows = facts.all(accountId);
      return {
        identities: identities.all(accountId).map((r) => r.address),
        relays: rows.filter((r) => r.kind === "relay").map((r) => r.value),
        batvSigned: rows.some((r) => r.kind === "batv"),
      };
    },
    /** Remembers relays (and BATV signing) seen in the user's own mail; each once. */
    learnOwn: (accountId: number, relays: readonly string[], batv: boolean): void => learnAll(accountId, relays, batv),
  };
}
