// `npm start`: builds, fetches the Electron binary if this machine lacks it (npm ci does not run
// Electron's download script: package.json's allowScripts leaves it out on purpose), then runs the app.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const run = (args, what) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    process.stderr.write(`npm start: ${what} failed.\n`);
    process.exit(r.status ?? 1);
  }
};

run([join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.node.json"], "building");
run([join(root, "node_modules", "vite", "bin", "vite.js"), "build", "--config", "vite.config.mjs", "--logLevel", "warn"], "building the UI");
if (!existsSync(join(root, "node_modules", "electron", "path.txt"))) {
  process.stderr.write("Downloading the Electron binary (first start only)...\n");
  run([join(root, "node_modules", "electron", "install.js")], "downloading Electron (it needs internet access)");
}
// better-sqlite3 for Electron's ABI, built once into a folder of its own: the Node build that the
// tests and the CLI use stays untouched. Needs internet (Electron's headers) and a C++ toolchain.
const electronVersion = JSON.parse(readFileSync(join(root, "node_modules", "electron", "package.json"), "utf8")).version;
const nativeDir = join(root, ".electron-native", `electron-${electronVersion}`);
const binding = join(nativeDir, "better-sqlite3", "build", "Release", "better_sqlite3.node");
if (!existsSync(binding)) {
  process.stderr.write(`Building better-sqlite3 for Electron ${electronVersion} (first start only)...\n`);
  mkdirSync(nativeDir, { recursive: true });
  cpSync(join(root, "node_modules", "better-sqlite3"), join(nativeDir, "better-sqlite3"), { recursive: true });
  const gyp = spawnSync(
    "npx",
    ["--yes", "node-gyp", "rebuild", `--target=${electronVersion}`, "--dist-url=https://electronjs.org/headers", "--runtime=electron"],
    { cwd: join(nativeDir, "better-sqlite3"), stdio: "inherit" },
  );
  if (gyp.status !== 0) {
    process.stderr.write("npm start: building better-sqlite3 for Electron failed (it needs internet access and g++, make, python3).\n");
    process.exit(1);
  }
}
process.env.BSS_SQLITE_BINDING = binding;
run([join(root, "node_modules", "electron", "cli.js"), join(root, "dist", "electron", "main", "index.js")], "Electron");
