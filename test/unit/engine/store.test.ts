// The store over a real SQLite file: what classify asks of the sent index.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../electron/engine/db/open.js";
import { createStore } from "../../../electron/engine/db/store.js";

const dir = mkdtempSync(join(tmpdir(), "bss-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;
const SENT_AT = Date.UTC(2026, 10, 2);

describe("the sent index as classify sees it", () => {
  const db = openDatabase(join(dir, "store.sqlite"));
  const store = createStore(db, () => SENT_AT);
  const account = store.addAccount({ host: "127.0.0.1", port: 143, security: "plain", user: "alice@example.org" });
  store.addSent(account.id, [
    {
      messageId: "plans@example.org",
      date: SENT_AT,
      subject: "Re: Plans for Friday",
      folder: "Sent",
      recipients: ["bob@example.net"],
      from: ["alice@example.org"],
    },
  ]);
  const lookup = store.lookup(account.id, []);

  it("finds mail sent with that subject to one of those recipients, near that time", () => {
    expect(lookup.sentSimilar("plans for friday", ["carol@example.com", "Bob@Example.net"], SENT_AT + DAY)).toBe(true);
  });

  it("does not count mail with the same subject sent to somebody else", () => {
    expect(lookup.sentSimilar("Plans for Friday", ["mallory@example.com"], SENT_AT)).toBe(false);
  });

  it("does not count mail with that subject sent long before", () => {
    expect(lookup.sentSimilar("Plans for Friday", ["bob@example.net"], SENT_AT + 60 * DAY)).toBe(false);
  });

  it("goes on the subject and the time for rows indexed before recipients were kept", () => {
    db.prepare("UPDATE sent_message SET recipients = NULL").run();
    expect(store.lookup(account.id, []).sentSimilar("Plans for Friday", ["mallory@example.com"], SENT_AT)).toBe(true);
  });
});
