// The whole app in a real browser: `serve` (the CLI, as a user starts it) with Debian's Chromium
// through playwright-core, against the Dovecot harness. Add an account → dry run → review shows
// the right items with reasons → "Move all" → the server's Backscatter folder holds exactly the
// backscatter → undo restores it. Screenshots go to test-results/screenshots/.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../harness/cli.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { liveIds, seed } from "../harness/imap.js";
import { scenario } from "../harness/mailbox.js";
import { openBrowser, SHOTS, startServe } from "../harness/browser.js";

const messages = scenario(3);
const backscatter = messages
  .filter((m) => m.expect === "move")
  .map((m) => m.messageId)
  .sort();

let d: Dovecot;
let dir: string;
let server: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  d = await startDovecot();
  await seed(d, messages);
  dir = mkdtempSync(join(tmpdir(), "bss-e2e-"));
  const started = await startServe(join(dir, "profile.sqlite"));
  server = started.child;
  url = started.url;
  ({ browser, page } = await openBrowser());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the app under serve, in Chromium", () => {
  it("prints a loopback address with a token first, and refuses requests without it", async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const bare = url.replace(/\?token=.*/, "");
    expect((await fetch(bare)).status).toBe(403);
    expect((await fetch(`${bare}?token=wrong`)).status).toBe(403);
    expect((await fetch(url, { headers: { Origin: "http://evil.example" } })).status).toBe(403);
    const refused = await cli(["serve", "--host", "0.0.0.0", "--db", join(dir, "other.sqlite")]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/only on this computer/);
  });

  it("onboarding: add the account; a dry run follows and moves nothing", { timeout: 120_000 }, async () => {
    await page.goto(url);
    await page.getByRole("heading", { name: "Connect your mailbox" }).waitFor();
    // The address alone finds the provider (from the bundled presets: this test looks nothing up).
    await page.getByLabel("Email address").fill("someone@gmail.com");
    await page.getByLabel("Email address").blur();
    await page.getByText(/^Found: imap\.gmail\.com:993 \(TLS\)\. Sign in with Google/).waitFor();
    expect(await page.getByLabel("Provider", { exact: true }).inputValue()).toBe("gmail");
    expect(await page.getByRole("button", { name: "Sign in with Google" }).isVisible()).toBe(true);
    await page.getByLabel("Provider", { exact: true }).selectOption("other");
    await page.getByLabel("Email address").fill("alice@example.org");
    await page.getByLabel("Password", { exact: true }).fill("alice-secret");
    await page.getByLabel("IMAP server").fill("127.0.0.1");
    await page.getByLabel("Port", { exact: true }).fill(String(d.port));
    await page.getByLabel("Security", { exact: true }).selectOption("plain");
    await page.screenshot({ path: join(SHOTS, "1-onboarding.png"), fullPage: true });
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByText("Scan finished.").waitFor({ timeout: 60_000 });
    expect(page.url()).not.toContain("token=");
    await expect.poll(() => page.locator(".tile.backscatter .n").textContent()).toBe(String(backscatter.length));
    await page.screenshot({ path: join(SHOTS, "2-dashboard.png"), fullPage: true });
    expect(await liveIds(d, "Backscatter")).toEqual([]);
  });

  it("review lists the flagged messages with their reasons; Move all moves exactly the backscatter", { timeout: 120_000 }, async () => {
    await page.getByRole("button", { name: /^Review/ }).click();
    const list = page.getByRole("listbox", { name: "Flagged messages" });
    await list.waitFor();
    await page.getByLabel("Show").selectOption("backscatter");
    await expect.poll(() => list.getByRole("option").count()).toBe(backscatter.length);
    expect(await list.getByRole("option").first().textContent()).toContain("someone forged your address");
    await list.focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.getByLabel("Details of the selected message").textContent()).toContain("Original recipient");
    await page.screenshot({ path: join(SHOTS, "3-review.png"), fullPage: true });
    await page.getByRole("button", { name: `Move ${backscatter.length} backscatter messages` }).click();
    await page.getByText(`Moved ${backscatter.length} messages to the backscatter folder.`).waitFor();
    expect(await liveIds(d, "Backscatter")).toEqual(backscatter);
    for (const id of backscatter) expect(await liveIds(d, "INBOX")).not.toContain(id);
  });

  it("undo puts every message back", { timeout: 120_000 }, async () => {
    const list = page.getByRole("listbox", { name: "Flagged messages" });
    await list.focus();
    await page.keyboard.press("Home");
    for (let i = 0; i < backscatter.length; i++) {
      await page.keyboard.press("Space");
      await page.keyboard.press("ArrowDown");
    }
    await page.getByRole("button", { name: "Put back" }).click();
    await page.getByText(`Put back ${backscatter.length} messages.`).waitFor();
    await page.screenshot({ path: join(SHOTS, "4-after-undo.png"), fullPage: true });
    expect(await liveIds(d, "Backscatter")).toEqual([]);
    expect(await liveIds(d, "INBOX")).toEqual(expect.arrayContaining(backscatter));
  });
});

describe("activity and settings, in Chromium", () => {
  it("activity lists the runs in words, newest first; the move run was put back so it offers no undo", { timeout: 60_000 }, async () => {
    await page.getByRole("button", { name: "Activity" }).click();
    const runs = page.getByRole("list", { name: "Runs, newest first" });
    await expect.poll(() => runs.getByRole("listitem").count()).toBeGreaterThanOrEqual(3);
    const texts = await runs.getByRole("listitem").allTextContents();
    expect(texts[0]).toContain(`Put back ${backscatter.length} messages.`);
    expect(texts.some((t) => t.includes(`Moved ${backscatter.length} messages to the backscatter folder.`))).toBe(true);
    expect(texts.some((t) => /Scanned \d+ new messages: \d+ backscatter found, 0 moved, \d+ to review\./.test(t))).toBe(true);
    expect(await runs.getByRole("button", { name: /^Undo the move/ }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, "8-activity.png"), fullPage: true });
  });

  it("settings: scheduled scans every 30 minutes with automatic moves; the overview shows the next scan", { timeout: 60_000 }, async () => {
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByLabel("Scan for new backscatter").selectOption({ label: "Every 30 minutes" });
    await page.getByLabel(/Move it when the app is sure/).check();
    await page.getByLabel("Systems that send mail as you without keeping a copy in Sent").fill("*.sendgrid.net");
    await expect.poll(() => page.locator(".cleanup p").first().textContent()).toMatch(/^Backscatter holds \d+ messages? \(\d+(\.\d)? [KM]?B\)\./);
    expect(await page.getByRole("button", { name: "Clean-up is off" }).isDisabled()).toBe(true);
    await page.getByLabel("Delete what the app moved there").selectOption({ label: "After 30 days" });
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Settings saved.").waitFor();
    await page.getByText(/^Next scan \d\d:\d\d\.$/).waitFor();
    await page.screenshot({ path: join(SHOTS, "9-settings.png"), fullPage: true });
    const [account] = JSON.parse((await cli(["account", "list", "--json", "--db", join(dir, "profile.sqlite")])).stdout || "[]") as {
      scheduleMinutes: number;
      autoMove: string;
      trustedIdPatterns: string[];
    }[];
    expect(account).toMatchObject({ scheduleMinutes: 30, autoMove: "high", trustedIdPatterns: ["*.sendgrid.net"], cleanupDays: 30 });
    await page.getByRole("button", { name: "Nothing moved there more than 30 days ago" }).waitFor();
    await page.getByRole("button", { name: "Overview" }).click();
    await page.getByText(/Next scheduled scan \d\d:\d\d, then every 30 minutes\./).waitFor();
  });
});
