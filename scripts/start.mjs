// `npm start`: builds, fetches the Electron binary if this machine lacks it (npm ci does not run
// Electron's download script: package.json's allowScripts leaves it out on purpose), then runs the app.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
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
if (!existsSync(join(root, "node_modules", "electron", "path.txt"))) {
  process.stderr.write("Downloading the Electron binary (first start only)...\n");
  run([join(root, "node_modules", "electron", "install.js")], "downloading Electron (it needs internet access)");
}
run([join(root, "node_modules", "electron", "cli.js"), join(root, "dist", "electron", "main", "index.js")], "Electron");
