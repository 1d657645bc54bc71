// The layers of DESIGN.md are enforced by lint: a wrong import must be a lint error.
import { ESLint } from "eslint";
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
