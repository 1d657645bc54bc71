// The layers of DESIGN.md are enforced by lint: a wrong import must be a lint error.
import { ESLint } from "eslint";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, posix } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../harness/paths.js";

const eslint = new ESLint({ cwd: REPO_ROOT });

async function errorsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(REPO_ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("layer rules", () => {
  it.each([
    ["shared/x.ts", 'import { readFile } from "node:fs";\nexport const f = readFile;\n'],
    ["shared/x.ts", 'import { ImapFlow } from "imapflow";\nexport const f = ImapFlow;\n'],
    ["electron/engine/x.ts", 'import { app } from "electron";\nexport const f = app;\n'],
    ["electron/engine/x.ts", 'import { x } from "../../renderer/x.js";\nexport const f = x;\n'],
    ["renderer/x.ts", 'import { readFile } from "fs";\nexport const f = readFile;\n'],
    ["renderer/x.ts", 'import { parseReport } from "../electron/engine/bounce/parse.js";\nexport const f = parseReport;\n'],
    ["electron/main/x.ts", 'import { x } from "../../renderer/x.js";\nexport const f = x;\n'],
    ["shared/x.ts", 'import { WebSocket } from "ws";\nexport const f = WebSocket;\n'],
    ["electron/engine/db/x.ts", 'import { scanFolder } from "../scan/folder.js";\nexport const f = scanFolder;\n'],
    ["electron/engine/db/x.ts", 'import { runCli } from "../cli/main.js";\nexport const f = runCli;\n'],
    ["electron/engine/classify.ts", 'import { readFileSync } from "node:fs";\nexport const f = readFileSync;\n'],
    ["electron/engine/bounce/x.ts", 'import { ImapSession } from "../imap/session.js";\nexport const f = ImapSession;\n'],
    ["electron/engine/mime/x.ts", 'import Database from "better-sqlite3";\nexport const f = Database;\n'],
    ["electron/engine/scanner.ts", 'import { ImapFlow } from "imapflow";\nexport const f = ImapFlow;\n'],
    ["electron/engine/imap/session.ts", 'import { parseEnvelope } from "imapflow/lib/tools.js";\nexport const f = parseEnvelope;\n'],
    ["electron/engine/scanner.ts", 'import { runCli } from "./cli/main.js";\nexport const f = runCli;\n'],
    ["electron/main/x.ts", 'import { scanFolder } from "../engine/scan/folder.js";\nexport const f = scanFolder;\n'],
  ])("%s: %s is refused", { timeout: 60_000 }, async (file, code) => {
    expect(await errorsFor(file, code)).not.toEqual([]);
  });

  it("allows what each layer may use", { timeout: 60_000 }, async () => {
    expect(
      await errorsFor(
        "electron/engine/x.ts",
        'import { readFile } from "node:fs";\nimport { normaliseMessageId } from "../../shared/messageId.js";\nexport const f = [readFile, normaliseMessageId];\n',
      ),
    ).toEqual([]);
    expect(await errorsFor("electron/main/x.ts", 'import { app } from "electron";\nexport const f = app;\n')).toEqual([]);
    expect(
      await errorsFor(
        "electron/main/x.ts",
        'import type { FromEngine } from "../engine/host/engineHost.js";\nimport { sealedFileSecrets } from "../engine/secrets.js";\nexport const f: [FromEngine | null, unknown] = [null, sealedFileSecrets];\n',
      ),
    ).toEqual([]);
    expect(
      await errorsFor("electron/engine/imap/imapflowInternals.ts", 'import { parseEnvelope } from "imapflow/lib/tools.js";\nexport const f = parseEnvelope;\n'),
    ).toEqual([]);
    expect(
      await errorsFor(
        "electron/engine/imap/fetchLine.ts",
        'import type { ImapResponse } from "imapflow/lib/handler/types.js";\nexport type F = ImapResponse;\n',
      ),
    ).toEqual([]);
    expect(
      await errorsFor(
        "electron/engine/db/x.ts",
        'import type { IndexLookup } from "../ports.js";\nimport type { Account } from "../../../shared/model.js";\nexport type F = [IndexLookup, Account];\n',
      ),
    ).toEqual([]);
    expect(await errorsFor("electron/engine/bounce/x.ts", 'import { Headers } from "../mime/headers.js";\nexport const f = Headers;\n')).toEqual([]);
    expect(await errorsFor("electron/engine/cli/x.ts", 'import { scanFolder } from "../scan/folder.js";\nexport const f = scanFolder;\n')).toEqual([]);
  });

  it("has no import cycles in the app's code", () => {
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "electron", "shared", "renderer"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    })
      .split("\n")
      .filter((f) => /\.tsx?$/.test(f));
    const known = new Set(files);
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const deps: string[] = [];
      for (const [, spec = ""] of readFileSync(join(REPO_ROOT, file), "utf8").matchAll(/^(?:import|export)[^;]*?from "(\.[^"]+)"/gm)) {
        const base = posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, "");
        const target = [`${base}.ts`, `${base}.tsx`].find((t) => known.has(t));
        if (target) deps.push(target);
      }
      graph.set(file, deps);
    }
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const path: string[] = [];
    const visit = (file: string): void => {
      state.set(file, "open");
      path.push(file);
      for (const dep of graph.get(file) ?? []) {
        if (state.get(dep) === "open") cycles.push([...path.slice(path.indexOf(dep)), dep].join(" → "));
        else if (!state.has(dep)) visit(dep);
      }
      path.pop();
      state.set(file, "done");
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles).toEqual([]);
  });
});

describe("dependencies", () => {
  it("the app's code imports only what it ships: runtime dependencies, Node's modules and Electron", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const shipped = new Set([...Object.keys(pkg.dependencies), ...builtinModules, "electron"]);
    const files = execFileSync("git", ["ls-files", "electron", "shared", "renderer"], { cwd: REPO_ROOT, encoding: "utf8" })
      .split("\n")
      .filter((f) => /\.(?:ts|tsx|cts)$/.test(f));
    const strays: string[] = [];
    for (const file of files) {
      // Type-only imports vanish from the build; everything else must be installed where the app runs.
      for (const [, spec = ""] of readFileSync(join(REPO_ROOT, file), "utf8").matchAll(/^import (?!type )[^;]*?from "([^".][^"]*)"/gm)) {
        const name = spec.startsWith("node:") ? spec.slice(5) : spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] ?? spec);
        if (!shipped.has(name)) strays.push(`${file}: ${spec}`);
      }
    }
    expect(files.length).toBeGreaterThan(100);
    expect(strays).toEqual([]);
  });
});
