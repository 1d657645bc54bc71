// OAuth2 sign-in against a local provider (PKCE, refresh grant, introspection) and Dovecot's
// oauth2 passdb (XOAUTH2 / OAUTHBEARER): the CLI signs in through the browser's loopback redirect
// and scans with the tokens; a token the server stops accepting mid-scan is refreshed and the
// scan completes; a withdrawn refresh token ends in a clear "sign in again"; a wrong PKCE
// verifier is refused; two accounts scanned together, one failing, do not stop each other.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BackgroundResult } from "../../shared/api.js";
import type { OAuthSettings } from "../../shared/model.js";
import { resolveProvider, OAuthError } from "../../electron/engine/oauth/provider.js";
import { pkcePair, startSignIn } from "../../electron/engine/oauth/signin.js";
import { exchangeCode, serializeTokens, type Tokens } from "../../electron/engine/oauth/tokens.js";
import { openProfile } from "../../electron/engine/profile.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { cli } from "../harness/cli.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { engineFor } from "../harness/engine.js";
import { hookedSessions } from "../harness/hooks.js";
import { liveIds, seed } from "../harness/imap.js";
import { scenario } from "../harness/mailbox.js";
import { startOAuthProvider, type OAuthProvider } from "../harness/oauthProvider.js";
import { startProxy, type Proxy } from "../harness/proxy.js";
import { REPO_ROOT } from "../harness/paths.js";
import { spawn } from "node:child_process";

const USER = "alice@example.org";
const messages = scenario(2);
const moving = messages
  .filter((m) => m.expect === "move")
  .map((m) => m.messageId)
  .sort();
let provider: OAuthProvider;
let d: Dovecot;
let proxy: Proxy;
let dir: string;
let settings: OAuthSettings;

beforeAll(async () => {
  provider = await startOAuthProvider({ user: USER, clientId: "bss-test-client", accessTtlMs: 3_600_000 });
  d = await startDovecot({ oauth2: { introspectionUrl: `${provider.issuer}/introspect` } });
  await seed(d, messages);
  proxy = await startProxy(d);
  dir = mkdtempSync(join(tmpdir(), "bss-oauth-"));
  settings = await resolveProvider(provider.issuer, provider.clientId, {}, fetch);
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await d?.stop();
  await provider?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Signs in as a browser would: open the address, let the provider redirect to our loopback port. */
async function signIn(): Promise<Tokens> {
  const s = await startSignIn(settings, USER, fetch);
  const page = await fetch(s.url);
  expect(await page.text()).toContain("You can close this tab");
  return s.done;
}

describe("OAuth2 sign-in", () => {
  it("from the CLI: the address comes first, the browser's redirect finishes it, and scans use the tokens", { timeout: 60_000 }, async () => {
    const db = join(dir, "cli", "profile.sqlite");
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, "scripts", "cli.mjs"),
        "account",
        "add",
        "--oauth",
        provider.issuer,
        "--client-id",
        provider.clientId,
        USER,
        "--imap",
        `imap://127.0.0.1:${d.port}`,
        "--db",
        db,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const url = await new Promise<string>((resolve) =>
      child.stdout.on("data", (c: Buffer) => ((out += c.toString()), out.includes("\n") && resolve(out.split("\n")[0] ?? ""))),
    );
    expect(url.startsWith(`${provider.issuer}/authorize?`)).toBe(true);
    const asked = new URL(url).searchParams;
    expect(asked.get("code_challenge_method")).toBe("S256");
    expect(asked.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(asked.get("login_hint")).toBe(USER);
    await (await fetch(url)).text();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, err).toBe(0);
    expect(out).toMatch(/Signed in and added account #1 alice@example\.org at 127\.0\.0\.1/);

    const scan = await cli(["scan", "--account", USER, "--db", db, "--json"]);
    expect(scan.code, scan.stderr).toBe(0);
    expect((JSON.parse(scan.stdout) as { counts: Record<string, number> }).counts["backscatter"]).toBe(moving.length);
    // The tokens are secrets: beside the database, never in it.
    const tokens = (JSON.parse(readFileSync(join(dir, "cli", "secrets.json"), "utf8")) as Record<string, string>)["account:1"] ?? "";
    const { oauth2 } = JSON.parse(tokens) as { oauth2: Tokens };
    for (const f of readdirSync(join(dir, "cli")).filter((n) => n.startsWith("profile.sqlite"))) {
      const bytes = readFileSync(join(dir, "cli", f)).toString("latin1");
      expect(bytes.includes(oauth2.accessToken) || bytes.includes(oauth2.refreshToken)).toBe(false);
    }
  });

  it.each([
    ["XOAUTH2", "xoauth2"],
    ["OAUTHBEARER", "oauthbearer"],
  ] as const)("logs in with %s when that is what the server offers", { timeout: 60_000 }, async (_name, mechanism) => {
    const only = await startDovecot({ oauth2: { introspectionUrl: `${provider.issuer}/introspect`, mechanisms: [mechanism] } });
    try {
      const setup = await engineFor(only, {}, { oauth: settings });
      await setup.engine.accountUpdate({ accountId: setup.accountId, changes: {}, secret: serializeTokens(await signIn()) });
      expect(await setup.engine.accountTest({ accountId: setup.accountId })).toMatchObject({ ok: true });
      expect(only.log()).toMatch(new RegExp(`Login: user=<alice@example\\.org>, method=${mechanism.toUpperCase()}`));
      setup.dispose();
    } finally {
      await only.stop();
    }
  });

  it("refuses a wrong PKCE verifier", async () => {
    const { challenge } = pkcePair();
    const redirect = "http://127.0.0.1:9/callback";
    const r = await fetch(
      `${provider.issuer}/authorize?response_type=code&client_id=${provider.clientId}&redirect_uri=${encodeURIComponent(redirect)}&code_challenge=${challenge}&code_challenge_method=S256&state=s`,
      { redirect: "manual" },
    );
    const code = new URL(r.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const wrong = pkcePair().verifier;
    const refused = await exchangeCode(settings, code, wrong, redirect, fetch).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OAuthError);
    expect((refused as OAuthError).message).toBe("The sign-in server refused: PKCE verification failed.");
  });

  it("a token the server stops accepting mid-scan is refreshed, and the scan completes", { timeout: 60_000 }, async () => {
    let armed = true;
    const setup = await engineFor(
      d,
      {
        retry: { attempts: 4, baseMs: 20, maxMs: 100 },
        openSession: hookedSessions({
          afterStatus: async (path) => {
            if (!armed || path !== "INBOX") return;
            armed = false;
            provider.expireAccessTokens(); // the token dies on the server's side...
            proxy.cutAll(); // ...and the connection drops, so the next login needs a fresh one
          },
        }),
      },
      { port: proxy.port, oauth: settings },
    );
    await setup.engine.accountUpdate({ accountId: setup.accountId, changes: {}, secret: serializeTokens(await signIn()) });
    const before = provider.refreshes;
    const r = await setup.engine.scan({ accountId: setup.accountId, apply: true });
    expect(r.errors).toEqual([]);
    expect(r.moved).toBe(moving.length);
    expect(provider.refreshes).toBe(before + 1);
    expect(r.warnings.some((w) => /reconnected/.test(w))).toBe(true);
    expect(await liveIds(d, "Backscatter")).toEqual(moving);
    await setup.engine.undo({ accountId: setup.accountId });
    setup.dispose();
  });

  it("a withdrawn sign-in ends in a clear 'sign in again', in the engine and in the CLI", { timeout: 60_000 }, async () => {
    const setup = await engineFor(d, {}, { oauth: settings });
    await setup.engine.accountUpdate({ accountId: setup.accountId, changes: {}, secret: serializeTokens(await signIn()) });
    expect((await setup.engine.scan({ accountId: setup.accountId })).errors).toEqual([]);
    provider.revokeRefreshTokens();
    provider.expireAccessTokens();
    await expect(setup.engine.scan({ accountId: setup.accountId })).rejects.toMatchObject({
      kind: "signin",
      message: "alice@example.org is signed out: the sign-in was withdrawn or has expired. Sign in again.",
    });
    setup.dispose();
    const r = await cli(["scan", "--account", USER, "--db", join(dir, "cli", "profile.sqlite")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is signed out");
    expect(r.stderr).toContain("To sign in again: backscatter-sweeper account add --oauth");
  });

  it("two accounts scanned together: one failing does not stop the other", { timeout: 60_000 }, async () => {
    const events: BackgroundResult[] = [];
    const profile = openProfile({
      path: join(dir, "two", "profile.sqlite"),
      secrets: memorySecrets(),
      emit: (event, payload) => event === "background" && events.push(payload as BackgroundResult),
    });
    const good = await profile.engine.accountAdd({
      account: { host: d.host, port: d.port, security: "plain", user: USER, oauth: settings },
      secret: serializeTokens(await signIn()),
    });
    const bad = await profile.engine.accountAdd({ account: { host: d.host, port: d.port, security: "plain", user: "mallory@example.org" }, secret: "wrong" });
    await profile.engine.scheduleRunNow({});
    expect(events.map((e) => e.accountId).sort()).toEqual([good.id, bad.id].sort());
    expect(events.find((e) => e.accountId === good.id)).toMatchObject({ error: null });
    expect(events.find((e) => e.accountId === bad.id)?.text).toMatch(
      /^The scheduled scan of mallory@example\.org failed: The server at 127\.0\.0\.1 refused the user name or password/,
    );
    profile.close();
  });
});
