// The alarm as a user sees it: `serve` in Chromium, on a mailbox where spam left through the
// user's own account, with DNS answered by dnsmasq on loopback. A scan puts the banner and its
// checklist on the Overview; the review shows the proof with its evidence, and will not move it.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appWithAccount, SHOTS } from "../harness/browser.js";
import { startDns, type TestDns } from "../harness/dns.js";
import { liveIds, seed } from "../harness/imap.js";
import { misuseMailbox, misuseZone } from "../harness/misuse.js";

const messages = misuseMailbox();
const misuse = messages
  .filter((m) => m.label.startsWith("account-misuse"))
  .map((m) => m.messageId)
  .sort();

let dns: TestDns;
beforeAll(async () => {
  dns = await startDns(misuseZone());
});
afterAll(() => dns?.stop());
const app = appWithAccount(
  (d) => seed(d, messages),
  () => ({ BSS_DNS: dns.server }),
);

describe("the account-misuse alarm, in Chromium", () => {
  it("a scan puts the banner on the Overview: how many, since when, what to do", { timeout: 120_000 }, async () => {
    await app.page.goto(app.url);
    await app.page.getByRole("heading", { name: "Overview" }).waitFor();
    expect(await app.page.locator(".alarm").count()).toBe(0);
    await app.page.getByRole("button", { name: "Scan now (nothing is moved)" }).click();
    const banner = app.page.getByRole("alert").filter({ has: app.page.getByRole("heading", { name: "Your account may be sending spam" }) });
    await banner.waitFor({ timeout: 60_000 });
    expect(await banner.textContent()).toContain("3 bounces show mail sent through your own account since 2026-11-30");
    expect(await banner.getByRole("listitem").first().textContent()).toMatch(/^Change your mail password now/);
    await expect.poll(() => app.page.locator(".tile.account-misuse .n").textContent()).toBe("3");
    await app.page.screenshot({ path: join(SHOTS, "misuse-1-overview.png"), fullPage: true });
  });

  it("the banner opens the review on the proof: each with its evidence, strongest first, and no way to move it", { timeout: 60_000 }, async () => {
    await app.page.getByRole("button", { name: "See the 3 bounces" }).click();
    const list = app.page.getByRole("listbox", { name: "Flagged messages" });
    await expect.poll(() => list.getByRole("option").count()).toBe(3);
    expect(await app.page.getByLabel("Show").inputValue()).toBe("account-misuse");
    await list.focus();
    await app.page.keyboard.press("Home");
    const details = app.page.getByLabel("Details of the selected message");
    await expect.poll(() => details.textContent()).toMatch(/Sent through your account \(high confidence\)/);
    expect(await details.locator(".evidence li").first().textContent()).toMatch(/signed in|verifies|blocked from sending/);
    expect(await app.page.getByRole("button", { name: "Move this" }).isDisabled()).toBe(true);
    await app.page.screenshot({ path: join(SHOTS, "misuse-2-review.png"), fullPage: true });
    for (const id of misuse) expect(await liveIds(app.d, "INBOX")).toContain(id);
  });

  it("“Why is this happening?”: the campaigns with their curve, and the domain check with the record to publish", { timeout: 60_000 }, async () => {
    await app.page.getByRole("button", { name: "Overview" }).click();
    const why = app.page.getByRole("region", { name: "Why is this happening?" });
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
    await app.page.screenshot({ path: join(SHOTS, "misuse-3-why.png"), fullPage: true });
    await why.getByRole("button", { name: "Check again" }).click();
    await why.getByRole("button", { name: "Check again" }).waitFor();
  });
});
