// `npm run cli -- ...`: runs the CLI from the checkout, compiling first when a source file is
// newer than the last build (and, for `serve`, building the UI when renderer/ is newer than it).
// Build output goes to stderr so stdout carries only the command's.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Written after each successful build; tsc's own build info is also written by typecheck runs.
const stamp = join(root, "dist", ".cli-build-stamp");

function newestSource(dir, pattern = /\.tsx?$/) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full, pattern));
    else if (pattern.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function modifiedAt(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

const stale = () =>
  Math.max(...["shared", "electron", "test"].map((d) => newestSource(join(root, d))), modifiedAt(join(root, "tsconfig.node.json"))) > modifiedAt(stamp);

// The UI `serve` hands out: dist/renderer, or BSS_UI_DIR (serveCommand.ts reads the same).
const uiDir = process.env.BSS_UI_DIR || join(root, "dist", "renderer");
const uiStale = () =>
  Math.max(newestSource(join(root, "renderer"), /\.(?:tsx?|css|html)$/), newestSource(join(root, "shared")), modifiedAt(join(root, "vite.config.mjs"))) >
  modifiedAt(join(uiDir, "index.html"));

/** One build at a time: two CLIs started together (two terminals, parallel tests) share it. */
function withBuildLock(fn) {
  const lock = join(root, "dist", ".cli-build-lock");
  mkdirSync(join(root, "dist"), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      // A lock older than any build is left over from a killed process.
      if (Date.now() - statSync(lock).mtimeMs > 300_000 || Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

let failed = false;
if (stale()) {
  withBuildLock(() => {
    if (!stale()) return; // built by whoever held the lock
    process.stderr.write("building (tsc -p tsconfig.node.json)...\n");
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.node.json")], { stdio: ["ignore", 2, 2] });
    if (result.status !== 0) failed = true;
    else writeFileSync(stamp, new Date().toISOString());
  });
}
if (failed) process.exit(1);

const args = process.argv.slice(2);
if (args[0] === "--build-only") process.exit(0);
if (args[0] === "serve" && uiStale()) {
  withBuildLock(() => {
    if (!uiStale()) return;
    process.stderr.write(`building the UI (vite) into ${uiDir}...\n`);
    const vite = join(root, "node_modules", "vite", "bin", "vite.js");
    const result = spawnSync(process.execPath, [vite, "build", "--config", join(root, "vite.config.mjs"), "--logLevel", "warn", "--outDir", uiDir], {
      cwd: root,
      stdio: ["ignore", 2, 2],
    });
    if (result.status !== 0) failed = true;
  });
  if (failed) process.exit(1);
}
const { main } = await import(pathToFileURL(join(root, "dist", "electron", "engine", "cli", "main.js")).href);
await main();
