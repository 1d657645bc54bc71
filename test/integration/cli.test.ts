// The CLI against a real Dovecot, as a script would run it: an inline imap:// URL with a
// percent-encoded user, the password from the environment, --json on stdout, progress as plain
// lines on stderr, and exit codes 0 / 1 / 2.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../harness/cli.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { liveIds, seed } from "../harness/imap.js";
import { scenario, type SeedMessage } from "../harness/mailbox.js";

const PASSWORD = "alice-secret";
let d: Dovecot;
let dir: string;
let messages: SeedMessage[];
let url: string;
let db: string;

beforeAll(async () => {
  d = await startDovecot();
  messages = scenario(2);
  await seed(d, messages);
  dir = mkdtempSync(join(tmpdir(), "bss-cli-"));
  db = join(dir, "profile.sqlite");
  url = `imap://alice%40example.org@127.0.0.1:${d.port}`;
}, 60_000);
afterAll(async () => {
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const env = { BSS_PASSWORD: PASSWORD, XDG_DATA_HOME: "" };
const backscatter = (): string[] =>
  messages
    .filter((m) => m.folder === "INBOX" && m.expect === "move")
    .map((m) => m.messageId)
    .sort();

interface ScanJson {
  counts: Record<string, number>;
  moved: number;
  bytesFetched: number;
  flagged: {
    folder: string;
    uid: number;
    destUid: number | null;
    messageId: string | null;
    verdict: string;
    confidence: string;
    reason: string;
    originalMessageIds: string[];
    recipients: string[];
  }[];
}

describe("backscatter-sweeper scan imap://USER@HOST:PORT --password-env VAR", () => {
  it("a dry run prints one JSON object: counts, bytes fetched and the flagged items; progress goes to stderr", { timeout: 120_000 }, async () => {
    const r = await cli(["scan", url, "--password-env", "BSS_PASSWORD", "--db", db, "--json"], dir, env);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0] ?? "") as ScanJson;
    expect(out.counts["backscatter"]).toBe(backscatter().length);
    expect(out.moved).toBe(0);
    expect(out.bytesFetched).toBeGreaterThan(1000);
    expect(out.flagged.length).toBeGreaterThan(backscatter().length);
    expect(out.flagged.every((f) => f.verdict !== "not-automated")).toBe(true);
    for (const f of out.flagged)
      expect(Object.keys(f).sort()).toEqual([
        "confidence",
        "destUid",
        "evidence",
        "folder",
        "messageId",
        "originalMessageIds",
        "reason",
        "recipients",
        "uid",
        "verdict",
      ]);
    expect(
      out.flagged
        .filter((f) => f.verdict === "backscatter")
        .map((f) => f.messageId)
        .sort(),
    ).toEqual(backscatter());
    // Not a terminal: plain lines, no carriage-return bar; and never the password.
    expect(r.stderr).toMatch(/^triage INBOX: \d+\/\d+$/m);
    expect(r.stderr).not.toContain("\r");
    expect(r.stderr + r.stdout).not.toContain(PASSWORD);
    expect(readFileSync(db).includes(Buffer.from(PASSWORD))).toBe(false);
    expect(await liveIds(d, "INBOX")).toEqual(expect.arrayContaining(backscatter()));
  });

  it("--apply moves every backscatter verdict and reports where each went; review, status and undo follow", { timeout: 120_000 }, async () => {
    const r = await cli(["scan", url, "--password-env", "BSS_PASSWORD", "--db", db, "--json", "--apply"], dir, env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as ScanJson;
    expect(out.moved).toBe(backscatter().length);
    expect((await liveIds(d, "Backscatter")).sort()).toEqual(backscatter());
    const moved = out.flagged.filter((f) => f.verdict === "backscatter");
    expect(moved.every((f) => typeof f.destUid === "number" && f.destUid > 0)).toBe(true);

    const status = await cli(["status", "--db", db, "--json"], dir, env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ moved: backscatter().length });

    const undo = await cli(["undo", url, "--password-env", "BSS_PASSWORD", "--db", db], dir, env);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toContain(`Restored ${backscatter().length}.`);
    expect(await liveIds(d, "Backscatter")).toEqual([]);
    expect(await liveIds(d, "INBOX")).toEqual(expect.arrayContaining(backscatter()));
  });

  it("exits 1 with the reason in words for a wrong password", { timeout: 60_000 }, async () => {
    const r = await cli(["scan", url, "--password-env", "BSS_PASSWORD", "--db", join(dir, "other.sqlite")], dir, { ...env, BSS_PASSWORD: "wrong" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: The server at 127\.0\.0\.1 refused the user name or password for alice@example\.org/m);
    expect(r.stdout).toBe("");
  });

  it("exits 1 when the server is down, saying so", { timeout: 60_000 }, async () => {
    const r = await cli(["scan", "imap://alice%40example.org@127.0.0.1:1", "--password-env", "BSS_PASSWORD", "--db", join(dir, "down.sqlite")], dir, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("127.0.0.1:1 refused the connection");
  });

  it("exits 2 for usage errors: a password on the command line or in the URL, an unknown command", { timeout: 60_000 }, async () => {
    const onArgv = await cli(["scan", url, "--password", PASSWORD, "--db", db], dir, env);
    expect(onArgv.code).toBe(2);
    expect(onArgv.stderr).toMatch(/never taken on the command line/);
    const inUrl = await cli(["scan", `imap://alice%40example.org:${PASSWORD}@127.0.0.1:${d.port}`, "--db", db], dir, env);
    expect(inUrl.code).toBe(2);
    expect(inUrl.stderr).toMatch(/do not put the password in the URL/);
    expect((await cli(["sweep"], dir, env)).code).toBe(2);
  });
});

describe("backscatter-sweeper account", () => {
  it("add (password from a file), list, set and test; the secret lands in a 0600 file beside the database", { timeout: 120_000 }, async () => {
    const profile = join(dir, "accounts", "profile.sqlite");
    const secretFile = join(dir, "pw.txt");
    writeFileSync(secretFile, `${PASSWORD}\n`, { mode: 0o600 });
    const add = await cli(["account", "add", url, "--password-file", secretFile, "--db", profile, "--trusted-ids", "*.sendgrid.net"], dir, env);
    expect(add.code, add.stderr).toBe(0);
    const list = await cli(["account", "list", "--db", profile, "--json"], dir, env);
    expect(JSON.parse(list.stdout)).toMatchObject([
      { user: "alice@example.org", host: "127.0.0.1", port: d.port, security: "plain", trustedIdPatterns: ["*.sendgrid.net"] },
    ]);
    const set = await cli(["account", "set", "--scan", "INBOX,Junk", "--destination", "Bounces", "--db", profile], dir, env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("scans INBOX, Junk; moves to Bounces");
    const test = await cli(["account", "test", "--db", profile], dir, env);
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toContain("Connected to 127.0.0.1 as alice@example.org.");
    expect(test.stdout).toContain("Sent folders: Sent");
    const secrets = join(dir, "accounts", "secrets.json");
    expect(readFileSync(secrets, "utf8")).toContain(PASSWORD);
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
  });
});
