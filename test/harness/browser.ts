/**
 * The app as a user sees it: `serve` started as the CLI starts it, and Debian's Chromium driven
 * by playwright-core (no browser download). Screenshots go to test-results/screenshots/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { cli } from "./cli.js";
import { startDovecot, type Dovecot } from "./dovecot.js";
import { REPO_ROOT } from "./paths.js";

export const SHOTS = join(REPO_ROOT, "test-results", "screenshots");
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

/** Starts `serve` on the profile `db` and resolves with the first stdout line: the address with its token. */
export function startServe(db: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    // Discovery from the presets only: the tests type addresses at real-looking domains, and no test may look them up.
    const child = spawn(process.execPath, [join(REPO_ROOT, "scripts", "cli.mjs"), "serve", "--db", db], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, BSS_DISCOVERY: "presets", ...env },
    });
    let out = "";
    let err = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve({ child, url: line.trim() });
    });
    child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

/** Chromium with one page of the app's usual size. */
export async function openBrowser(colorScheme: "light" | "dark" = "light"): Promise<{ browser: Browser; page: Page }> {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1180, height: 860 }, colorScheme });
  return { browser, page };
}

export interface AppWithAccount {
  d: Dovecot;
  page: Page;
  url: string;
}

/**
 * Registers beforeAll/afterAll for an end-to-end test file: a Dovecot filled by `fill`, alice's
 * account added with the CLI (no onboarding), `serve` on that profile (with `env`) and Chromium
 * on it. The returned object is complete once beforeAll ran.
 */
export function appWithAccount(fill: (d: Dovecot) => Promise<void>, env: () => Record<string, string> = () => ({})): AppWithAccount {
  const app = {} as AppWithAccount;
  let dir = "";
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app.d = await startDovecot();
    await fill(app.d);
    dir = mkdtempSync(join(tmpdir(), "bss-e2e-"));
    const db = join(dir, "profile.sqlite");
    const added = await cli(["account", "add", `imap://alice%40example.org@127.0.0.1:${app.d.port}`, "--password-env", "BSS_PASSWORD", "--db", db], dir, {
      BSS_PASSWORD: app.d.users["alice@example.org"] ?? "",
      XDG_DATA_HOME: "",
    });
    if (added.code !== 0) throw new Error(added.stderr);
    ({ child: server, url: app.url } = await startServe(db, env()));
    ({ browser, page: app.page } = await openBrowser());
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    await app.d?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return app;
}
