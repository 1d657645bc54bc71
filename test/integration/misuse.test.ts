// "Has my account been hacked?" against a real Dovecot and a DNS server on loopback: a mailbox
// with forged backscatter, real bounces, and bounces of spam that left through the user's own
// account. `scan --apply` moves only the backscatter; the proof stays in the inbox, and the alarm
// is raised on the CLI's stderr, in the engine's status, and by the desktop notifier.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BackgroundResult } from "../../shared/api.js";
import { createBackground } from "../../electron/engine/background.js";
import { createDns } from "../../electron/engine/dns/resolver.js";
import { createTray } from "../../electron/main/tray.js";
import { cli } from "../harness/cli.js";
import { startDns, type TestDns } from "../harness/dns.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { engineFor } from "../harness/engine.js";
import { liveIds, seed } from "../harness/imap.js";
import { misuseMailbox, misuseZone } from "../harness/misuse.js";

let d: Dovecot;
let dns: TestDns;
let dir: string;
const messages = misuseMailbox();
const inbox = messages.filter((m) => m.folder === "INBOX");
const ids = (pred: (label: string) => boolean): string[] =>
  inbox
    .filter((m) => pred(m.label))
    .map((m) => m.messageId)
    .sort();
const misuse = ids((l) => l.startsWith("account-misuse"));
const backscatter = ids((l) => l.startsWith("backscatter"));

beforeAll(async () => {
  [d, dns] = await Promise.all([startDovecot(), startDns(misuseZone())]);
  await seed(d, messages);
  dir = mkdtempSync(join(tmpdir(), "bss-misuse-"));
}, 60_000);
afterAll(async () => {
  await Promise.all([d?.stop(), dns?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

interface Flagged {
  messageId: string | null;
  verdict: string;
  confidence: string;
  evidence: string[];
}

describe("bounces of mail sent through the user's own account", () => {
  it(
    "scan --apply moves only the backscatter; the account-misuse reports stay, each with its evidence, and stderr raises the alarm",
    { timeout: 120_000 },
    async () => {
      const url = `imap://alice%40example.org@127.0.0.1:${d.port}`;
      const r = await cli(["scan", url, "--password-env", "BSS_PASSWORD", "--db", join(dir, "cli.sqlite"), "--json", "--apply", "--dns", dns.server], dir, {
        BSS_PASSWORD: "alice-secret",
        XDG_DATA_HOME: "",
      });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { counts: Record<string, number>; moved: number; flagged: Flagged[]; alarm: { count: number; since: string } | null };
      const verdictOf = (id: string): Flagged | undefined => out.flagged.find((f) => f.messageId === id);
      expect(out.counts["account-misuse"]).toBe(misuse.length);
      expect(
        out.flagged
          .filter((f) => f.verdict === "account-misuse")
          .map((f) => f.messageId)
          .sort(),
      ).toEqual(misuse);
      expect(
        out.flagged
          .filter((f) => f.verdict === "backscatter")
          .map((f) => f.messageId)
          .sort(),
      ).toEqual(backscatter);
      expect(out.moved).toBe(backscatter.length);
      expect(out.alarm).toMatchObject({ count: misuse.length, since: "2026-11-30" });
      // Evidence, strongest first, from the original's path, its verified signature, the provider's words.
      expect(verdictOf("ev-relay@mx.remote.test")?.evidence[0]).toMatch(
        /handed to your mail server smtp\.example\.test by a client that signed in \(with ESMTPSA from 198\.51\.100\.77\)/,
      );
      expect(verdictOf("ev-dkim@mx.remote.test")?.evidence[0]).toMatch(/DKIM signature of your domain \(d=example\.test, s=sel2026\) verifies/);
      expect(verdictOf("ev-ms@dm6pr01mb1234.namprd01.prod.outlook.com")?.evidence[0]).toMatch(
        /blocked from sending: “550 5\.1\.8 Access denied, bad outbound sender/,
      );
      expect(verdictOf("ev-spf@mx.remote.test")).toMatchObject({ confidence: "high" });
      expect(verdictOf("ev-spf@mx.remote.test")?.evidence[0]).toMatch(/203\.0\.113\.66\) is not allowed to send for example\.test/);
      expect(verdictOf("ev-listed@mx.bounce.test")?.evidence.join(" ")).toMatch(/listed by Backscatterer\.org/);
      expect(verdictOf("ev-batv@mx.remote.test")?.verdict).toBe("legit");
      expect(verdictOf("real-bounce-1@mx.remote.test")?.verdict).toBe("legit");
      // The alarm in words on stderr, with the checklist.
      expect(r.stderr).toMatch(/^WARNING: 3 bounces show mail sent through your own account since 2026-11-30/m);
      expect(r.stderr).toMatch(/1\. Change your mail password now/);
      expect(r.stderr).toMatch(/forwarding addresses, filters and rules you did not make/);
      // On the server: the backscatter moved, the proof still in the inbox.
      expect(await liveIds(d, "Backscatter")).toEqual(backscatter);
      const left = await liveIds(d, "INBOX");
      for (const id of misuse) expect(left).toContain(id);
      // A move asked for by hand leaves them too, and says why.
      const moved = await cli(["move", url, "--password-env", "BSS_PASSWORD", "--ids", "1,2,3,4,5,6,7", "--db", join(dir, "cli.sqlite")], dir, {
        BSS_PASSWORD: "alice-secret",
        XDG_DATA_HOME: "",
      });
      expect(moved.stdout + moved.stderr).toMatch(/messages show that mail left through your own account; they stay in your inbox as the proof/);
      for (const id of misuse) expect(await liveIds(d, "INBOX")).toContain(id);
    },
  );

  it("a scheduled scan raises the alarm in a notification of its own, and the engine's status carries it for the Overview", { timeout: 120_000 }, async () => {
    // A fresh copy of the mailbox for the background's own account.
    const d2 = await startDovecot();
    await seed(d2, messages);
    const setup = await engineFor(d2, { dns: createDns({ server: dns.server }) }, { autoMove: "high", scheduleMinutes: 60 });
    try {
      const results: BackgroundResult[] = [];
      const background = createBackground({ engine: setup.engine, emit: (_e, r) => void results.push(r) });
      background.sync(await setup.engine.accountList({}));
      await background.runNow(setup.accountId);
      background.stop();
      expect(results).toHaveLength(1);
      expect(results[0]?.alarm).toMatch(/^3 bounces show mail sent through your own account since 2026-11-30/);
      const notes: [string, string][] = [];
      const tray = createTray({
        client: {
          scheduleStatus: async () => background.status(),
          schedulePause: async () => background.status(),
          scheduleRunNow: async () => background.status(),
        },
        setMenu: () => undefined,
        notify: (title, body) => void notes.push([title, body]),
        showWindow: () => undefined,
        quit: () => undefined,
        launchAtLogin: { get: () => false, set: () => undefined },
      });
      await tray.refresh();
      tray.onEvent({ event: "background", payload: results[0] as BackgroundResult });
      expect(notes.find(([title]) => title === "Your account may be sending spam")?.[1]).toMatch(
        /^alice@example\.org: 3 bounces show mail sent through your own account/,
      );
      // The automatic move took the high-confidence backscatter and none of the proof.
      expect(await liveIds(d2, "Backscatter")).toEqual(backscatter);
      // What the scan learned of the user's own mail: the relay of the real bounce, and that their server signs BATV.
      expect(setup.engine.store.ownRecord(setup.accountId)).toMatchObject({ relays: ["smtp.example.test"], relayIps: ["192.0.2.10"], batvSigned: true });
      const runs = await setup.engine.activity({ accountId: setup.accountId });
      expect(runs.find((r) => r.kind === "scan")?.text).toMatch(/, 3 sent through your own account \(kept in your inbox\)\.$/);
      const status = await setup.engine.status({ accountId: setup.accountId });
      expect(status.misuse).toMatchObject({ count: 3, since: "2026-11-30" });
      expect(status.misuse?.checklist[0]).toMatch(/Change your mail password/);
    } finally {
      setup.dispose();
      await d2.stop();
    }
  });
});
