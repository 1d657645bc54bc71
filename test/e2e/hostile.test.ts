// A hostile bounce in the real UI: its subject, the attached original's subject, recipient and
// reporting server, and an HTML part carry markup, scripts, event handlers and remote images
// pointing at a "tracker" on another loopback port. In Chromium, under `serve`, the review list
// and the details show all of it as plain text: no script runs, no element is injected, and no
// request leaves the app's own origin (the tracker counts zero hits).
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, SHOTS, startServe } from "../harness/browser.js";
import { cli } from "../harness/cli.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { seed } from "../harness/imap.js";

let d: Dovecot;
let dir: string;
let tracker: Server;
let trackerHits = 0;
let trackerUrl = "";
let server: ChildProcess;
let browser: Browser;
let page: Page;
const requests: string[] = [];

function hostileBounce(beacon: string): string {
  const img = `<img src="${beacon}/pixel.png" onerror="window.__pwned='img'">`;
  return [
    "Return-Path: <>",
    "Message-ID: <hostile-1@mx.remote.example>",
    "Date: Thu, 01 Oct 2026 10:00:00 +0000",
    "From: Mail Delivery System <MAILER-DAEMON@mx.remote.example>",
    "To: alice@example.org",
    `Subject: Undelivered ${img}`,
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    "",
    "--B",
    "Content-Type: text/html; charset=utf-8",
    "",
    `<html><body><script>window.__pwned='script'</script>${img}<iframe src="${beacon}/frame"></iframe><p>550 5.1.1 user unknown</p></body></html>`,
    "--B",
    "Content-Type: message/delivery-status",
    "",
    `Reporting-MTA: dns; <svg onload="window.__pwned='svg'"></svg>mx.remote.example`,
    "",
    "Final-Recipient: rfc822; victim@target.example",
    "Action: failed",
    "Status: 5.1.1",
    `Diagnostic-Code: smtp; 550 5.1.1 <script>window.__pwned='diag'</script> ${img}`,
    "",
    "--B",
    "Content-Type: message/rfc822",
    "",
    "Message-ID: <forged-hostile@spam.example>",
    "From: alice@example.org",
    "To: victim@target.example",
    `Subject: <script>window.__pwned='subject'</script><b>Cheap</b> ${img}`,
    "",
    "Buy now.",
    "--B--",
    "",
  ].join("\r\n");
}

beforeAll(async () => {
  tracker = createServer((_req, res) => {
    trackerHits++;
    res.end("gotcha");
  });
  await new Promise<void>((resolve) => tracker.listen(0, "127.0.0.1", resolve));
  const address = tracker.address();
  trackerUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  d = await startDovecot();
  await seed(d, [{ folder: "INBOX", raw: hostileBounce(trackerUrl), messageId: "hostile-1@mx.remote.example", expect: "move", label: "hostile bounce" }]);
  dir = mkdtempSync(join(tmpdir(), "bss-hostile-"));
  const db = join(dir, "profile.sqlite");
  writeFileSync(join(dir, "pw"), "alice-secret\n");
  expect((await cli(["account", "add", `imap://alice%40example.org@127.0.0.1:${d.port}`, "--password-file", join(dir, "pw"), "--db", db])).code).toBe(0);
  expect((await cli(["scan", "--db", db])).code).toBe(0);
  const started = await startServe(db);
  server = started.child;
  ({ browser, page } = await openBrowser());
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(started.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  await d?.stop();
  await new Promise((r) => tracker?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe("a hostile bounce in the review", () => {
  it("is shown as text: no script runs, nothing is injected, no request leaves the app", { timeout: 120_000 }, async () => {
    await page.getByRole("button", { name: /^Review/ }).click();
    const list = page.getByRole("listbox", { name: "Flagged messages" });
    await expect.poll(() => list.getByRole("option").count()).toBe(1);
    const row = (await list.getByRole("option").first().textContent()) ?? "";
    expect(row).toContain("<script>window.__pwned='subject'</script><b>Cheap</b>");
    await list.focus();
    await page.keyboard.press("Home");
    const details = page.getByLabel("Details of the selected message");
    expect(await details.textContent()).toContain(`<img src="${trackerUrl}/pixel.png"`);
    await page.screenshot({ path: join(SHOTS, "5-hostile-bounce.png"), fullPage: true });
    await page.waitForTimeout(500); // time for any image or frame to have been fetched
    expect(await page.evaluate("typeof window.__pwned")).toBe("undefined");
    expect(await page.locator("main img, main script, main iframe, main b, [onerror], [onload]").count()).toBe(0);
    expect(trackerHits).toBe(0);
    const origin = new URL(page.url()).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith("ws://127.0.0.1"))).toEqual([]);
  });
});
