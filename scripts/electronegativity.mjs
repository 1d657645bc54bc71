// Doyensec's electronegativity over the Electron host (main, preload, the page's HTML), offline:
// its network calls fail at once (scripts/offline.cjs), so the check for known fixes in newer
// Electron releases says "no connectivity" and passes; we track Electron's version ourselves. Every high or medium finding must be explained in electron/electronegativity.json,
// and every explanation must still match a finding. Exit 1 otherwise.
import { createRequire } from "node:module";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(join(tmpdir(), "bss-electronegativity-"));
let failed;
try {
  for (const part of ["electron/main", "electron/preload", "renderer/index.html", "package.json"])
    cpSync(join(root, part), join(work, "app", part), { recursive: true });
  const electron = JSON.parse(readFileSync(join(root, "node_modules", "electron", "package.json"), "utf8")).version;
  const require = createRequire(import.meta.url);
  require("./offline.cjs");
  const run = require(join(root, "node_modules", "@doyensec", "electronegativity", "dist", "runner.js"));
  const quiet = console.log;
  console.log = () => undefined; // its banner and "no connectivity" notes; the findings are returned
  let result;
  try {
    result = await run(
      {
        input: join(work, "app"),
        output: undefined,
        isSarif: false,
        customScan: [],
        excludeFromScan: [],
        isRelative: true,
        isVerbose: false,
        electronUpgrade: undefined,
        electronVersionOverride: electron,
        parserPlugins: [],
      },
      false,
    );
  } finally {
    console.log = quiet;
  }
  if (result.errors.length > 0) for (const e of result.errors) console.error(`could not parse ${e.file}: ${e.message ?? e.error ?? ""}`);
  const rows = result.issues.map((i) => ({
    id: i.id,
    severity: i.severity.name,
    confidence: i.confidence.name,
    file: i.file,
    location: `${i.location.line}:${i.location.column}`,
  }));
  const explained = JSON.parse(readFileSync(join(root, "electron", "electronegativity.json"), "utf8"));
  const serious = rows.filter((r) => r.severity === "HIGH" || r.severity === "MEDIUM");
  const unexplained = serious.filter((r) => !explained[r.id]);
  const stale = Object.keys(explained).filter((id) => !serious.some((r) => r.id === id));
  for (const r of rows)
    console.log(`${r.severity.padEnd(13)} ${r.id.padEnd(34)} ${r.file}:${r.location}${explained[r.id] ? `  explained: ${explained[r.id]}` : ""}`);
  for (const r of unexplained) console.error(`unexplained ${r.severity} finding: ${r.id} at ${r.file}:${r.location}`);
  for (const id of stale) console.error(`explanation for ${id} matches no finding any more: remove it from electron/electronegativity.json`);
  console.log(`electronegativity ${electron}: ${rows.length} findings, ${serious.length} high or medium, ${unexplained.length} unexplained`);
  failed = unexplained.length > 0 || stale.length > 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}
// After the clean-up (an exit inside the try would skip it): the scanner leaves handles open, so exit explicitly.
process.exit(failed ? 1 : 0);
