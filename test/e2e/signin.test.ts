// Signing in from the browser UI under `serve`: the onboarding's OpenID sign-in opens the
// provider's page in a new tab, the provider (a local one, approving at once) sends the browser
// back to the engine's loopback port, and the account is added and scanned with its token over
// Dovecot's oauth2 passdb.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, SHOTS, startServe } from "../harness/browser.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { seed } from "../harness/imap.js";
import { scenario } from "../harness/mailbox.js";
import { startOAuthProvider, type OAuthProvider } from "../harness/oauthProvider.js";

const messages = scenario(2);
let provider: OAuthProvider;
let d: Dovecot;
let dir: string;
let server: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  provider = await startOAuthProvider({ user: "alice@example.org", clientId: "bss-ui-client" });
  d = await startDovecot({
    oauth2: { introspectionUrl: `${provider.issuer}/introspect` },
    users: { "alice@example.org": "alice-secret", "bob@example.org": "bob-secret" },
  });
  await seed(d, messages);
  dir = mkdtempSync(join(tmpdir(), "bss-signin-"));
  ({ child: server, url } = await startServe(join(dir, "profile.sqlite")));
  ({ browser, page } = await openBrowser());
}, 120_000);
afterAll(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  await d?.stop();
  await provider?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("OAuth2 sign-in in the UI", () => {
  it("opens the provider in a new tab, comes back, adds the account and scans it", { timeout: 120_000 }, async () => {
    await page.goto(url);
    await page.getByLabel("Provider", { exact: true }).selectOption("other");
    await page.getByLabel("Email address").fill("alice@example.org");
    await page.getByLabel("IMAP server").fill("127.0.0.1");
    await page.getByLabel("Port", { exact: true }).fill(String(d.port));
    await page.getByLabel("Security", { exact: true }).selectOption("plain");
    await page.getByLabel("Issuer URL").fill(provider.issuer);
    await page.getByLabel("Client ID").fill(provider.clientId);
    await page.screenshot({ path: join(SHOTS, "10-signin.png"), fullPage: true });
    const [tab] = await Promise.all([page.context().waitForEvent("page"), page.getByRole("button", { name: "Sign in with this provider" }).click()]);
    await tab.waitForLoadState();
    await tab.getByText("You can close this tab and go back to Backscatter Sweeper.").waitFor();
    expect(new URL(tab.url()).hostname).toBe("127.0.0.1");
    await page.getByText("Scan finished.").waitFor({ timeout: 60_000 });
    expect(await page.locator(".tabs .account").textContent()).toBe("alice@example.org");
    await expect.poll(() => page.locator(".tile.backscatter .n").textContent()).toBe(String(messages.filter((m) => m.expect === "move").length));
    expect(provider.authorizations).toBe(1);
    await page.screenshot({ path: join(SHOTS, "11-signed-in.png"), fullPage: true });
  });

  it("several accounts side by side: a second one with a password, each shown and the total", { timeout: 120_000 }, async () => {
    const found = String(messages.filter((m) => m.expect === "move").length);
    // To review: what is flagged and not a real reply, so the backscatter and the unverifiable ones.
    const review = String(messages.filter((m) => m.expect === "move" || m.label === "unverifiable bounce").length);
    await page.getByRole("button", { name: "Add account" }).click();
    await page.getByLabel("Provider", { exact: true }).selectOption("other");
    await page.getByLabel("Email address").fill("bob@example.org");
    await page.getByLabel("Password", { exact: true }).fill("bob-secret");
    await page.getByLabel("IMAP server").fill("127.0.0.1");
    await page.getByLabel("Port", { exact: true }).fill(String(d.port));
    await page.getByLabel("Security", { exact: true }).selectOption("plain");
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByText("Scan finished.").waitFor({ timeout: 60_000 });
    const table = page.getByRole("table", { name: "All accounts" });
    await expect
      .poll(() => table.getByRole("row").allTextContents())
      .toEqual(["AccountBackscatter foundMovedTo review", `alice@example.org${found}0${review}`, "bob@example.org000", `Total${found}0${review}`]);
    expect(await page.getByLabel("Account").inputValue()).not.toBe("");
    await page.getByLabel("Account").selectOption({ label: "alice@example.org" });
    await expect.poll(() => page.locator(".tile.backscatter .n").textContent()).toBe(found);
    await page.screenshot({ path: join(SHOTS, "12-two-accounts.png"), fullPage: true });
  });
});
