// The layers of DESIGN.md are enforced by lint: a wrong import must be a lint error.
import { ESLint } from "eslint";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
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
  ])("%s: %s is refused", { timeout: 60_000 }, async (file, code) => {
    expect(await errorsFor(file, code)).not.toEqual([]);
  });

  it("allows what each layer may use", { timeout: 60_000 }, async () => {
    expect(await errorsFor("electron/engine/x.ts", 'import { readFile } from "node:fs";\nimport { normaliseMessageId } from "../../shared/messageId.js";\nexport const f = [readFile, normaliseMessageId];\n')).toEqual([]);
    expect(await errorsFor("electron/main/x.ts", 'import { app } from "electron";\nexport const f = app;\n')).toEqual([]);
  });
});

describe("dependencies", () => {
  it("the app's code imports only what it ships: runtime dependencies, Node's modules and Electron", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const shipped = new Set([...Object.keys(pkg.dependencies), ...builtinModules, "electron"]);
    const files = execFileSync("git", ["ls-files", "electron", "shared", "renderer"], { cwd: REPO_ROOT, encoding: "utf8" }).split("\n").filter((f) => /\.(?:ts|tsx|cts)$/.test(f));
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
