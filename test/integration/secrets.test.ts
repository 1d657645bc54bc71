// Secrets never leak: the CLI and `serve` are taken through every command, a dropped connection
// and a refused login (a wrong password); then every line they printed (progress included) and
// the database files (with their WAL) are searched for both passwords, in plain text and as they
// travel in IMAP (base64 in SASL PLAIN). The only place a password may be is the 0600 secrets file.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../harness/cli.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { seed } from "../harness/imap.js";
import { scenario } from "../harness/mailbox.js";
import { startProxy } from "../harness/proxy.js";
import { REPO_ROOT } from "../harness/paths.js";

const PASSWORD = "Tr0ub4dor&3-horse-staple";
const WRONG = "n0t-the-Right-one-9731";
let d: Dovecot;
let dir: string;

beforeAll(async () => {
  d = await startDovecot({ users: { "alice@example.org": PASSWORD } });
  await seed(d, scenario(2));
  dir = mkdtempSync(join(tmpdir(), "bss-secrets-"));
}, 60_000);
afterAll(async () => {
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Each secret as it could show up: plain, URL-encoded, and inside SASL PLAIN's base64. */
function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(`\u0000alice@example.org\u0000${secret}`).toString("base64"), Buffer.from(secret).toString("base64")];
}

/** `serve` for a moment: its stderr, and stdout after the first line (the address, whose token is meant to be seen). */
async function serveOutput(db: string): Promise<string> {
  const child = spawn(process.execPath, [join(REPO_ROOT, "scripts", "cli.mjs"), "serve", "--db", db], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve) => child.stdout.on("data", () => out.includes("\n") && resolve(out.split("\n")[0] ?? "")));
  await fetch(url);
  await fetch(url.replace(/token=[^&]+/, "token=wrong"));
  child.kill("SIGTERM");
  await new Promise((r) => child.once("close", r));
  return `${err}${out.split("\n").slice(1).join("\n")}`;
}

describe("secrets", () => {
  it("appear in no output line, event or database byte; only in the 0600 secrets file", { timeout: 180_000 }, async () => {
    const db = join(dir, "profile.sqlite");
    const pwFile = join(dir, "pw");
    writeFileSync(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
    const wrongFile = join(dir, "wrong");
    writeFileSync(wrongFile, `${WRONG}\n`, { mode: 0o600 });
    const url = `imap://alice%40example.org@127.0.0.1:${d.port}`;
    const proxy = await startProxy(d, { cutAfter: (n) => (n === 0 ? 900 : null) });
    const cutUrl = `imap://alice%40example.org@127.0.0.1:${proxy.port}`;
    const runs = [
      ["account", "add", url, "--password-file", pwFile, "--db", db],
      ["account", "test", "--db", db],
      ["account", "list", "--db", db],
      ["index", "--db", db],
      ["scan", "--db", db, "--json"],
      ["review", "--all", "--db", db],
      ["scan", "--apply", "--db", db],
      ["status", "--db", db],
      ["undo", "--db", db],
      ["scan", cutUrl, "--password-file", pwFile, "--db", db], // a cut connection, then a reconnect
      ["scan", url, "--password-file", wrongFile, "--db", join(dir, "other.sqlite")], // a refused login
    ];
    let printed = "";
    for (const args of runs) {
      const r = await cli(args, REPO_ROOT);
      printed += `${r.stdout}\n${r.stderr}\n`;
    }
    await proxy.close();
    expect(printed).toMatch(/refused the user name or password/); // the failures really happened
    printed += await serveOutput(db);

    const database = readdirSync(dir)
      .filter((f) => f.startsWith("profile.sqlite") || f.startsWith("other.sqlite"))
      .map((f) => readFileSync(join(dir, f)).toString("latin1"));
    expect(database.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, WRONG]) {
      for (const form of forms(secret)) {
        expect(printed.includes(form), `"${form}" in the output`).toBe(false);
        for (const bytes of database) expect(bytes.includes(form), `"${form}" in the database`).toBe(false);
      }
    }
    // Where the password does live: beside the database, for this user only.
    const secretsFile = join(dir, "secrets.json");
    expect(readFileSync(secretsFile, "utf8")).toContain(PASSWORD);
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
  });
});
