// The `parse --json` command through the real entry point (npm run cli), as an evaluator runs it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { splitMbox } from "../../electron/engine/cli/files.js";
import { cli } from "../harness/cli.js";
import { REPO_ROOT } from "../harness/paths.js";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("backscatter-sweeper parse --json", () => {
  it("prints one JSON line per message, paths relative to the directory argument, and nothing else", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "bss-parse-"));
    made.push(dir);
    writeFileSync(join(dir, "README.md"), "skipped");
    writeFileSync(join(dir, ".hidden"), "skipped");
    writeFileSync(join(dir, "empty.eml"), "");
    writeFileSync(
      join(dir, "two.mbox"),
      "From a@b Mon Jan  1 00:00:00 2026\nSubject: one\n\nbody\n\nFrom c@d Mon Jan  1 00:00:00 2026\nFrom: MAILER-DAEMON@x.example\nSubject: Undelivered Mail\n\nThis is the mail system at host x.example.\n",
    );
    const { code, stdout } = await cli(["parse", "--json", dir]);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l["file"], l["index"], l["kind"]])).toEqual([
      ["empty.eml", 0, "not-automated"],
      ["two.mbox", 0, "not-automated"],
      ["two.mbox", 1, "bounce"],
    ]);
    expect(lines[0]?.["error"]).toBe("the file is empty");
    expect(Object.keys(lines[2] ?? {})).toEqual([
      "file",
      "index",
      "kind",
      "format",
      "originalMessageIds",
      "recipients",
      "action",
      "status",
      "diagnostic",
      "reportingMta",
      "error",
    ]);
  });

  it("names a file argument as given and resolves it against INIT_CWD", async () => {
    const { code, stdout } = await cli(["parse", "--json", "real/lhost-qmail-01.eml"], join(REPO_ROOT, "test", "fixtures"));
    expect(code).toBe(0);
    const line = JSON.parse(stdout) as Record<string, unknown>;
    expect(line).toMatchObject({
      file: "real/lhost-qmail-01.eml",
      kind: "bounce",
      format: "qmail",
      originalMessageIds: ["000000000.9999999999999.JavaMail.postmaster@mailhub"],
      status: "5.5.0",
    });
  });

  it("exits 1 when a path cannot be read, after printing the others", async () => {
    const { code, stdout, stderr } = await cli(["parse", "--json", "no/such/path", "test/fixtures/real/lhost-exim-01.eml"]);
    expect(code).toBe(1);
    expect(stdout.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/cannot read no\/such\/path/);
  });

  it("splits an mbox only at From lines after an empty line", () => {
    const parts = splitMbox(Buffer.from("From x\nA: 1\n\nbody\nFrom inside body\n\nFrom y\nB: 2\n\nz\n"));
    expect(parts.map((p) => p.toString())).toEqual(["A: 1\n\nbody\nFrom inside body\n", "B: 2\n\nz\n"]);
  });
});
