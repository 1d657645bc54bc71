/**
 * Where the CLI keeps its profile: the database in the XDG data directory (or --db), secrets in
 * a 0600 file beside it (or the environment), and how a password is asked for.
 */
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { AccountInput, Security } from "../../../shared/model.js";
import { fileSecrets, type SecretStore } from "../secrets.js";
import { isLoopback } from "../../../shared/loopback.js";
import { stringOption, UsageError, type Args } from "./args.js";
import type { CommandIo } from "./io.js";

export function defaultDbPath(env: CommandIo["env"]): string {
  const data = env["XDG_DATA_HOME"] || join(env["HOME"] || homedir(), ".local", "share");
  return join(data, "backscatter-sweeper", "profile.sqlite");
}

export function dbPath(args: Args, io: CommandIo): string {
  const given = stringOption(args, "db");
  return given ? resolve(io.cwd, given) : defaultDbPath(io.env);
}

/** Secrets live beside the database, readable only by the user. */
export function secretsFor(db: string): SecretStore {
  return fileSecrets(join(dirname(db), "secrets.json"));
}

/**
 * Parses `imap://USER@HOST:PORT` (STARTTLS; plain text only to loopback) or `imaps://...`
 * (implicit TLS). The user part may be percent-encoded (`alice%40example.org`).
 */
/** `imap://HOST:PORT` (STARTTLS; plain text only to loopback) or `imaps://HOST:PORT` (implicit TLS). */
export function serverFromUrl(url: string): { parsed: URL; host: string; port: number; security: Security } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`not an IMAP URL: ${url} (expected imap://HOST:PORT or imaps://HOST:PORT)`);
  }
  if (parsed.protocol !== "imap:" && parsed.protocol !== "imaps:") throw new UsageError(`unsupported scheme ${parsed.protocol} (use imap:// or imaps://)`);
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const tls = parsed.protocol === "imaps:";
  const security: Security = tls ? "tls" : isLoopback(host) ? "plain" : "starttls";
  return { parsed, host, port: parsed.port ? Number(parsed.port) : tls ? 993 : 143, security };
}

export function accountFromUrl(url: string): AccountInput {
  const { parsed, host, port, security } = serverFromUrl(url);
  const user = decodeURIComponent(parsed.username);
  if (!user) throw new UsageError("the URL names no user: imap://USER@HOST:PORT");
  if (parsed.password) throw new UsageError("do not put the password in the URL: use --password-env VAR or --password-file FILE");
  return { host, port, security, user };
}

/** Reads a password without echo from the terminal. */
function prompt(question: string): Promise<string> {
  return new Promise((resolvePassword) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolvePassword(answer);
    });
    out._writeToOutput = () => undefined;
    process.stderr.write(question);
  });
}

/** The password from --password-env, --password-file, or a prompt on a terminal; never argv. */
export async function passwordFrom(args: Args, io: CommandIo, readFile: (p: string) => Promise<string>): Promise<string | null> {
  const envName = stringOption(args, "password-env");
  if (envName) {
    const value = io.env[envName];
    if (value === undefined) throw new UsageError(`the environment variable ${envName} is not set`);
    return value;
  }
  const file = stringOption(args, "password-file");
  if (file) return (await readFile(resolve(io.cwd, file))).replace(/\r?\n$/, "");
  if (args.options.has("password")) throw new UsageError("passwords are never taken on the command line: use --password-env VAR or --password-file FILE");
  if (process.stdin.isTTY) return prompt("Password: ");
  return null;
}
