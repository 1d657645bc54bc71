/**
 * `account add --oauth google|microsoft|ISSUER_URL [--client-id ID] EMAIL [--imap imap://HOST:PORT]`:
 * sign in in the browser, then keep the tokens as the account's secret. The first stdout line is
 * the address to open; the command waits for the browser to come back to its loopback port. For
 * an account that exists already it is "sign in again": only the tokens are replaced.
 */
import type { Account, AccountInput, Security } from "../../../shared/model.js";
import type { Engine } from "../index.js";
import { isLoopback } from "../imap/session.js";
import { resolveProvider, type Fetch } from "../oauth/provider.js";
import { startSignIn } from "../oauth/signin.js";
import { serializeTokens } from "../oauth/tokens.js";
import { stringOption, UsageError, type Args } from "./args.js";
import type { CommandIo } from "./io.js";

/** Where the well-known providers serve IMAP; any other provider needs --imap. */
const IMAP_OF: Record<string, { host: string; port: number; security: Security }> = {
  google: { host: "imap.gmail.com", port: 993, security: "tls" },
  microsoft: { host: "outlook.office365.com", port: 993, security: "tls" },
};

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

export async function addOAuthAccount(engine: Engine, args: Args, io: CommandIo, out: (value: unknown, text: string) => void, fetch: Fetch = globalThis.fetch): Promise<number> {
  const provider = stringOption(args, "oauth");
  const email = args.positional[0];
  if (!provider || !email || !email.includes("@")) throw new UsageError("account add --oauth google|microsoft|ISSUER_URL [--client-id ID] EMAIL [--imap imap://HOST:PORT]");
  const imapUrl = stringOption(args, "imap");
  const imap = imapUrl ? imapFrom(imapUrl) : IMAP_OF[provider.toLowerCase()];
  if (!imap) throw new UsageError(`say where ${provider} serves IMAP: --imap imaps://HOST:993`);
  const settings = await resolveProvider(provider, stringOption(args, "client-id"), io.env, fetch);
  const signIn = await startSignIn(settings, email, fetch);
  io.stdout(`${signIn.url}\n`);
  io.stderr("Open the address above in your browser and sign in; this waits for the browser to come back (5 minutes at most).\n");
  const tokens = await signIn.done;
  const input: AccountInput = { ...imap, user: email, oauth: settings };
  const existing = (await engine.accountList({})).find((a) => a.user === email && a.host === imap.host && a.port === imap.port);
  const account: Account = existing ? await engine.accountUpdate({ accountId: existing.id, changes: { oauth: settings }, secret: serializeTokens(tokens) }) : await engine.accountAdd({ account: input, secret: serializeTokens(tokens) });
  out(account, `${existing ? "Signed in again" : "Signed in and added account"} #${account.id} ${account.user} at ${account.host}:${account.port}.\n`);
  return 0;
}
