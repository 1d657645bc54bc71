/** Paths the tests and tools share, valid from source (vitest) and from dist/ alike. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "electron"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root above ${start}`);
  }
}

export const REPO_ROOT = findRepoRoot(import.meta.dirname);
/** The shared corpus sits beside the repository: ../shared/corpus from the repo root. */
export const CORPUS = join(REPO_ROOT, "..", "shared", "corpus");
export const SISIMAI = join(CORPUS, "sisimai");
export const FIXTURES = join(REPO_ROOT, "test", "fixtures");
/** The compiled read-ahead worker (`npm test` builds dist/ first): a worker thread runs JavaScript, not the sources vitest runs. */
export const READ_AHEAD_WORKER = pathToFileURL(join(REPO_ROOT, "dist", "electron", "engine", "readAhead", "worker.js"));
