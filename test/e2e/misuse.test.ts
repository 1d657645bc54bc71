// The alarm as a user sees it: `serve` in Chromium, on a mailbox where spam left through the
// user's own account, with DNS answered by dnsmasq on loopback. A scan puts the banner and its
// checklist on the Overview; the review shows the proof with its evidence, and will not move it.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, SHOTS, startServe } from "../harness/browser.js";
import { cli } from "../harness/cli.js";
import { startDns, type TestDns } from "../harness/dns.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { liveIds, seed } from "../harness/imap.js";
import { misuseMailbox, misuseZone } from "../harness/misuse.js";

const messages = misuseMailbox();
const misuse = messages
  .filter((m) => m.label.startsWith("account-misuse"))
  .map((m) => m.messageId)
  .sort();

let d: Dovecot;
let dns: TestDns;
let dir: string;
let server: ChildProcess;
let browser: Browser;
let page: Page;
let url: string;

beforeAll(async () => {
  [d, dns] = await Promise.all([startDovecot(), startDns(misuseZone())]);
  await seed(d, messages);
  dir = mkdtempSync(join(tmpdir(), "bss-e2e-misuse-"));
  const db = join(dir, "profile.sqlite");
  const added = await cli(["account", "add", `imap://alice%40example.org@127.0.0.1:${d.port}`, "--password-env", "BSS_PASSWORD", "--db", db], dir, {
    BSS_PASSWORD: "alice-secret",
    XDG_DATA_HOME: "",
  });
  if (added.code !== 0) throw new Error(added.stderr);
  ({ child: server, url } = await startServe(db, { BSS_DNS: dns.server }));
  ({ browser, page } = await openBrowser());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  await Promise.all([d?.stop(), dns?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("the account-misuse alarm, in Chromium", () => {
  it("a scan puts the banner on the Overview: how many, since when, what to do", { timeout: 120_000 }, async () => {
    await page.goto(url);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    expect(await page.locator(".alarm").count()).toBe(0);
    await page.getByRole("button", { name: "Scan now (nothing is moved)" }).click();
    const banner = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: "Your account may be sending spam" }) });
    await banner.waitFor({ timeout: 60_000 });
    expect(await banner.textContent()).toContain("3 bounces show mail sent through your own account since 2026-11-30");
    expect(await banner.getByRole("listitem").first().textContent()).toMatch(/^Change your mail password now/);
    await expect.poll(() => page.locator(".tile.account-misuse .n").textContent()).toBe("3");
    await page.screenshot({ path: join(SHOTS, "misuse-1-overview.png"), fullPage: true });
  });

  it("the banner opens the review on the proof: each with its evidence, strongest first, and no way to move it", { timeout: 60_000 }, async () => {
    await page.getByRole("button", { name: "See the 3 bounces" }).click();
    const list = page.getByRole("listbox", { name: "Flagged messages" });
    await expect.poll(() => list.getByRole("option").count()).toBe(3);
    expect(await page.getByLabel("Show").inputValue()).toBe("account-misuse");
    await list.focus();
    await page.keyboard.press("Home");
    const details = page.getByLabel("Details of the selected message");
    await expect.poll(() => details.textContent()).toMatch(/Sent through your account \(high confidence\)/);
    expect(await details.locator(".evidence li").first().textContent()).toMatch(/signed in|verifies|blocked from sending/);
    expect(await page.getByRole("button", { name: "Move this" }).isDisabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, "misuse-2-review.png"), fullPage: true });
    for (const id of misuse) expect(await liveIds(d, "INBOX")).toContain(id);
  });

  it("“Why is this happening?”: the campaigns with their curve, and the domain check with the record to publish", { timeout: 60_000 }, async () => {
    await page.getByRole("button", { name: "Overview" }).click();
    const why = page.getByRole("region", { name: "Why is this happening?" });
    await why.waitFor();
    const campaigns = why.getByRole("list", { name: "Campaigns, largest first" });
    await expect.poll(() => campaigns.getByRole("listitem").count()).toBeGreaterThanOrEqual(1);
    expect(await campaigns.textContent()).toContain("“Cheap watches”");
    expect(await why.textContent()).toMatch(/The flood is (fading|still rising|goes on)/);
    const advice = why.getByRole("list", { name: "What to change for example.test, in order" });
    await advice.waitFor();
    expect(await advice.textContent()).toContain('_dmarc.example.test TXT "v=DMARC1; p=none; rua=mailto:alice@example.org"');
    expect(await why.textContent()).toContain("v=spf1 ip4:192.0.2.0/24 -all");
    await why.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, "misuse-3-why.png"), fullPage: true });
    await why.getByRole("button", { name: "Check again" }).click();
    await why.getByRole("button", { name: "Check again" }).waitFor();
  });
});
