// Watching as a user sees it: `serve` in Chromium against Dovecot. After the first (dry) scan the
// Overview says new mail is watched; with automatic moves on, a flood of backscatter appended to
// the inbox is swept as it arrives, the Overview shows the last sweep and the flood banner, and
// the server's Backscatter folder holds exactly the flood. Screenshots go to test-results/screenshots/.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, SHOTS, startServe } from "../harness/browser.js";
import { cli } from "../harness/cli.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { liveIds, multiAppend, seed } from "../harness/imap.js";
import { dsnBounce, scenario } from "../harness/mailbox.js";

const sent = scenario(2).filter((m) => m.folder === "Sent");
const flood = Array.from({ length: 35 }, (_, i) => ({
  id: `flood-${i}@mx.target.example`,
  raw: dsnBounce(`flood-${i}@mx.target.example`, `forged-${i}@spam${i % 5}.example`, `victim${i}@target.example`, "Cheap pills", 500 + i),
}));

let d: Dovecot;
let dir: string;
let server: ChildProcess;
let browser: Browser;
let page: Page;
let url: string;

beforeAll(async () => {
  d = await startDovecot();
  await seed(d, sent);
  dir = mkdtempSync(join(tmpdir(), "bss-e2e-watch-"));
  const db = join(dir, "profile.sqlite");
  const added = await cli(["account", "add", `imap://alice%40example.org@127.0.0.1:${d.port}`, "--password-env", "BSS_PASSWORD", "--db", db], dir, {
    BSS_PASSWORD: "alice-secret",
    XDG_DATA_HOME: "",
  });
  if (added.code !== 0) throw new Error(added.stderr);
  ({ child: server, url } = await startServe(db));
  ({ browser, page } = await openBrowser());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("watching, in Chromium", () => {
  it("starts after the first scan, and the Overview says so", { timeout: 60_000 }, async () => {
    await page.goto(url);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.getByRole("button", { name: "Scan now (nothing is moved)" }).click();
    await page.getByText("Scan finished.").waitFor({ timeout: 30_000 });
    await page.getByText("Watching for new mail: each message is swept as it arrives.").waitFor({ timeout: 30_000 });
  });

  it("with automatic moves on, sweeps a flood as it arrives and shows the flood and the last sweep", { timeout: 120_000 }, async () => {
    await page.getByRole("button", { name: "Settings" }).click();
    expect(await page.getByLabel("Sweep new mail as it arrives").isChecked()).toBe(true);
    await page.getByLabel(/Move it when the app is sure/).check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Settings saved.").waitFor();
    await page.getByRole("button", { name: "Overview" }).click();
    await page.getByText("Watching for new mail: each message is swept as it arrives.").waitFor({ timeout: 30_000 });
    await multiAppend(
      d,
      "INBOX",
      flood.map((m) => m.raw),
    );
    const banner = page.getByRole("status", { name: "Backscatter flood" });
    await banner.waitFor({ timeout: 60_000 });
    expect(await banner.textContent()).toMatch(/^A flood of backscatter started at \d\d:\d\d: 35 swept so far\./);
    await expect.poll(() => page.locator(".last.watch").textContent(), { timeout: 30_000 }).toMatch(/Last sweep .*: 35 backscatter moved\.$/);
    await expect.poll(() => page.locator(".tile.moved .n").textContent()).toBe("35");
    await page.screenshot({ path: join(SHOTS, "watch-1-flood.png"), fullPage: true });
    expect(await liveIds(d, "Backscatter")).toEqual(flood.map((m) => m.id).sort());
  });

  it("Settings show today's downloads; turned off there, the Overview says new mail is not swept as it arrives", { timeout: 60_000 }, async () => {
    await page.getByRole("button", { name: "Settings" }).click();
    // What the account downloaded today, with the watch's sweeps in it; no budget by default here (not Gmail).
    await expect.poll(() => page.locator("#budget-hint").textContent()).toMatch(/^Downloaded today: \d+(\.\d)? MB\. Once the day's budget is spent/);
    expect(await page.getByLabel("Most to download from this account in a day (MB)").getAttribute("placeholder")).toBe("No limit");
    await page.screenshot({ path: join(SHOTS, "watch-2-settings.png"), fullPage: true });
    await page.getByLabel("Sweep new mail as it arrives").uncheck();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Settings saved.").waitFor();
    await page.getByRole("button", { name: "Overview" }).click();
    await page.getByText("New mail is not swept as it arrives (Settings).").waitFor({ timeout: 30_000 });
  });
});
