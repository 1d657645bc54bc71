/** What a CLI command may touch: injected so tests run commands in-process. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory relative paths are resolved against (npm's INIT_CWD when run through npm). */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CommandIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.env["INIT_CWD"] ?? process.cwd(),
    env: process.env,
  };
}
