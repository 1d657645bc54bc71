/**
 * The app as a user sees it: `serve` started as the CLI starts it, and Debian's Chromium driven
 * by playwright-core (no browser download). Screenshots go to test-results/screenshots/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
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
