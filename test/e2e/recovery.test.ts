// The UI when the app's database cannot be used (here: written by a newer version): it says so,
// offers the rebuild, and after one click the account is back on the overview.
import Database from "better-sqlite3";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, SHOTS, startServe } from "../harness/browser.js";
import { cli } from "../harness/cli.js";

let dir: string;
let db: string;
let server: ChildProcess;
let browser: Browser;
let page: Page;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bss-recovery-"));
  db = join(dir, "profile.sqlite");
  writeFileSync(join(dir, "pw"), "alice-secret\n");
  // No server needed: adding an account without testing it only writes the profile.
  expect((await cli(["account", "add", "imap://alice%40example.org@127.0.0.1:1", "--password-file", join(dir, "pw"), "--db", db])).code).toBe(0);
  const raw = new Database(db);
  raw.pragma("user_version = 99");
  raw.close();
  const started = await startServe(db);
  server = started.child;
  url = started.url;
  ({ browser, page } = await openBrowser("dark"));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

describe("a database from a newer version, in the UI", () => {
  it("is explained, rebuilt with one click, and the account is back", { timeout: 60_000 }, async () => {
    await page.goto(url);
    await page.getByRole("heading", { name: "This database is from a newer version" }).waitFor();
    expect(await page.getByRole("alert").first().textContent()).toMatch(/written by a newer version of Backscatter Sweeper/);
    await page.screenshot({ path: join(SHOTS, "6-recovery.png"), fullPage: true });
    await page.getByRole("button", { name: "Rebuild the database" }).click();
    await page.getByText(/A fresh database was started; the old file is kept as .*1 account/).waitFor();
    expect(await page.locator(".tabs .account").textContent()).toBe("alice@example.org");
    await page.screenshot({ path: join(SHOTS, "7-after-rebuild.png"), fullPage: true });
    expect(readdirSync(dir).some((f) => /^profile\.sqlite\.broken-\d{8}-\d{6}$/.test(f))).toBe(true);
    expect(existsSync(db)).toBe(true);
  });
});
