// Watching as a user sees it: `serve` in Chromium against Dovecot. After the first (dry) scan the
// Overview says new mail is watched; with automatic moves on, a flood of backscatter appended to
// the inbox is swept as it arrives, the Overview shows the last sweep and the flood banner, and
// the server's Backscatter folder holds exactly the flood. Screenshots go to test-results/screenshots/.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appWithAccount, SHOTS } from "../harness/browser.js";
import { liveIds, multiAppend, seed } from "../harness/imap.js";
import { dsnBounce, scenario } from "../harness/mailbox.js";

const sent = scenario(2).filter((m) => m.folder === "Sent");
const flood = Array.from({ length: 35 }, (_, i) => ({
  id: `flood-${i}@mx.target.example`,
  raw: dsnBounce(`flood-${i}@mx.target.example`, `forged-${i}@spam${i % 5}.example`, `victim${i}@target.example`, "Cheap pills", 500 + i),
}));

const app = appWithAccount((d) => seed(d, sent));

describe("watching, in Chromium", () => {
  it("starts after the first scan, and the Overview says so", { timeout: 60_000 }, async () => {
    await app.page.goto(app.url);
    await app.page.getByRole("heading", { name: "Overview" }).waitFor();
    await app.page.getByRole("button", { name: "Scan now (nothing is moved)" }).click();
    await app.page.getByText("Scan finished.").waitFor({ timeout: 30_000 });
    await app.page.getByText("Watching for new mail: each message is swept as it arrives.").waitFor({ timeout: 30_000 });
  });

  it("with automatic moves on, sweeps a flood as it arrives and shows the flood and the last sweep", { timeout: 120_000 }, async () => {
    await app.page.getByRole("button", { name: "Settings" }).click();
    expect(await app.page.getByLabel("Sweep new mail as it arrives").isChecked()).toBe(true);
    await app.page.getByLabel(/Move it when the app is sure/).check();
    await app.page.getByRole("button", { name: "Save" }).click();
    await app.page.getByText("Settings saved.").waitFor();
    await app.page.getByRole("button", { name: "Overview" }).click();
    await app.page.getByText("Watching for new mail: each message is swept as it arrives.").waitFor({ timeout: 30_000 });
    await multiAppend(
      app.d,
      "INBOX",
      flood.map((m) => m.raw),
    );
    const banner = app.page.getByRole("status", { name: "Backscatter flood" });
    await banner.waitFor({ timeout: 60_000 });
    expect(await banner.textContent()).toMatch(/^A flood of backscatter started at \d\d:\d\d: 35 swept so far\./);
    await expect.poll(() => app.page.locator(".last.watch").textContent(), { timeout: 30_000 }).toMatch(/Last sweep .*: 35 backscatter moved\.$/);
    await expect.poll(() => app.page.locator(".tile.moved .n").textContent()).toBe("35");
    await app.page.screenshot({ path: join(SHOTS, "watch-1-flood.png"), fullPage: true });
    expect(await liveIds(app.d, "Backscatter")).toEqual(flood.map((m) => m.id).sort());
  });

  it("Settings show today's downloads; turned off there, the Overview says new mail is not swept as it arrives", { timeout: 60_000 }, async () => {
    await app.page.getByRole("button", { name: "Settings" }).click();
    // What the account downloaded today, with the watch's sweeps in it; no budget by default here (not Gmail).
    await expect.poll(() => app.page.locator("#budget-hint").textContent()).toMatch(/^Downloaded today: \d+(\.\d)? MB\. Once the day's budget is spent/);
    expect(await app.page.getByLabel("Most to download from this account in a day (MB)").getAttribute("placeholder")).toBe("No limit");
    await app.page.screenshot({ path: join(SHOTS, "watch-2-settings.png"), fullPage: true });
    await app.page.getByLabel("Sweep new mail as it arrives").uncheck();
    await app.page.getByRole("button", { name: "Save" }).click();
    await app.page.getByText("Settings saved.").waitFor();
    await app.page.getByRole("button", { name: "Overview" }).click();
    await app.page.getByText("New mail is not swept as it arrives (Settings).").waitFor({ timeout: 30_000 });
  });
});
