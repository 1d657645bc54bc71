/** What is known of the user's own mail besides the sent index: their addresses, relays, DKIM selectors and BATV signing. */
import type { Lesson, OwnRecord } from "../ports.js";
import type { Db } from "./open.js";

export function createOwnFactsStore(db: Db, now: () => number) {
  const identities = db.prepare<[number], { address: string }>("SELECT address FROM identity WHERE account_id = ?");
  const facts = db.prepare<[number], { kind: "relay" | "relay-ip" | "dkim" | "batv"; value: string }>(
    "SELECT kind, value FROM own_fact WHERE account_id = ? ORDER BY seen_at, value",
  );
  const add = db.prepare("INSERT OR IGNORE INTO own_fact (account_id, kind, value, seen_at) VALUES (?, ?, ?, ?)");
  const learnAll = db.transaction((accountId: number, lesson: Lesson) => {
    for (const r of lesson.relays) add.run(accountId, "relay", r.toLowerCase(), now());
    for (const ip of lesson.relayIps) add.run(accountId, "relay-ip", ip.toLowerCase(), now());
    for (const t of lesson.dkim) add.run(accountId, "dkim", `${t.selector}._domainkey.${t.domain}`, now());
    if (lesson.batv) add.run(accountId, "batv", "yes", now());
  });
  return {
    ownRecord(accountId: number): OwnRecord {
      const rows = facts.all(accountId);
      const of = (kind: string): string[] => rows.filter((r) => r.kind === kind).map((r) => r.value);
      return {
        identities: identities.all(accountId).map((r) => r.address),
        relays: of("relay"),
        relayIps: of("relay-ip"),
        dkim: of("dkim").map((v) => {
          const [selector = "", domain = ""] = v.split("._domainkey.");
          return { selector, domain };
        }),
        batvSigned: rows.some((r) => r.kind === "batv"),
      };
    },
    /** Remembers what a report taught of the user's own mail; each fact once. */
    learnOwn: (accountId: number, lesson: Lesson): void => learnAll(accountId, lesson),
  };
}
