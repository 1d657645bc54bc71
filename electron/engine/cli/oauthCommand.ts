/**
 * `account add --oauth google|microsoft|ISSUER_URL [--client-id ID] EMAIL [--imap imap://HOST:PORT]`:
 * sign in in the browser, then keep the tokens as the account's secret. The first stdout line is
 * the address to open; the command waits for the browser to come back to its loopback port. For
 * an account that exists already it is "sign in again": only the tokens are replaced.
 */
import type { Security } from "../../../shared/model.js";
import type { Engine } from "../index.js";
import { isLoopback } from "../imap/session.js";
import { stringOption, UsageError, type Args } from "./args.js";
import type { CommandIo } from "./io.js";

function imapFrom(url: string): { host: string; port: number; security: Security } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--imap takes imap://HOST:PORT or imaps://HOST:PORT, not ${url}`);
  }
  if (u.protocol !== "imap:" && u.protocol !== "imaps:") throw new UsageError(`--imap takes imap:// or imaps://, not ${u.protocol}`);
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const tls = u.protocol === "imaps:";
  return { host, port: u.port ? Number(u.port) : tls ? 993 : 143, security: tls ? "tls" : isLoopback(host) ? "plain" : "starttls" };
}

export async function addOAuthAccount(engine: Engine, args: Args, io: CommandIo, out: (value: unknown, text: string) => void): Promise<number> {
  const provider = stringOption(args, "oauth");
  const email = args.positional[0];
  if (!provider || !email || !email.includes("@")) throw new UsageError("account add --oauth google|microsoft|ISSUER_URL [--client-id ID] EMAIL [--imap imap://HOST:PORT]");
  const imapUrl = stringOption(args, "imap");
  const clientId = stringOption(args, "client-id");
  const before = new Set((await engine.accountList({})).map((a) => a.id));
  const { signInId, url } = await engine.signInStart({ provider, email, ...(clientId ? { clientId } : {}), ...(imapUrl ? { imap: imapFrom(imapUrl) } : {}) });
  io.stdout(`${url}\n`);
  io.stderr("Open the address above in your browser and sign in; this waits for the browser to come back (5 minutes at most).\n");
  const account = await engine.signInFinish({ signInId });
  out(account, `${before.has(account.id) ? "Signed in again" : "Signed in and added account"} #${account.id} ${account.user} at ${account.host}:${account.port}.\n`);
  return 0;
}
