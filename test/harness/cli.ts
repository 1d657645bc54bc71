/** The CLI through its real entry point (`npm run cli` runs scripts/cli.mjs), as a user runs it. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./paths.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `backscatter-sweeper ...args` with stdin closed (not a terminal) and waits for it. */
export function cli(args: string[], cwd = REPO_ROOT, env: Record<string, string> = {}): Promise<CliResult> {
  return runNode([join(REPO_ROOT, "scripts", "cli.mjs"), ...args], { cwd, env: { INIT_CWD: cwd, ...env } });
}

/** Runs this Node with `args` (stdin closed; `env` added to this process's) and collects its output. */
export function runNode(args: string[], { cwd = REPO_ROOT, env = {} }: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
