// `serve` right after `npm ci`: the UI is not built yet, and the CLI builds it rather than
// stopping with "the UI is not built". BSS_UI_DIR points both at an empty folder of the test's.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServe } from "../harness/browser.js";

const dir = mkdtempSync(join(tmpdir(), "bss-ui-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("serve without a built UI", () => {
  it("builds the UI, then serves it", { timeout: 180_000 }, async () => {
    const ui = join(dir, "ui");
    expect(existsSync(join(ui, "index.html"))).toBe(false);
    const { child, url } = await startServe(join(dir, "profile.sqlite"), { BSS_UI_DIR: ui });
    try {
      // Built: the page loads the bundle, not the source main.tsx.
      expect(readFileSync(join(ui, "index.html"), "utf8")).toMatch(/src="\.\/assets\/[^"]+\.js"/);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<title>Backscatter Sweeper<\/title>[\s\S]*assets\/[^"]+\.js/);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
