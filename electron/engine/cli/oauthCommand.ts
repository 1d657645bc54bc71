/**
 * `account add --oauth google|microsoft|ISSUER_URL [--client-id ID] EMAIL [--imap imap://HOST:PORT]`:
 * sign in in the browser, then keep the tokens as the account's secret. The first stdout line is
 * the address to open; the command waits for the browser to come back to its loopback port. For
 * an account that exists already it is "sign in again": only the tokens are replaced.
 */
import type { Engine } from "../index.js";
import { stringOption, UsageError, type Args } from "./args.js";
import type { CommandIo } from "./io.js";
import { serverFromUrl } from "./profile.js";

export async function addOAuthAccount(engine: Engine, args: Args, io: CommandIo, out: (value: unknown, text: string) => void): Promise<number> {
  const provider = stringOption(args, "oauth");
  const email = args.positional[0];
  if (!provider || !email || !email.includes("@"))
    throw new UsageError("account add --oauth google|microsoft|ISSUER_URL [--client-id ID] EMAIL [--imap imap://HOST:PORT]");
  const imapUrl = stringOption(args, "imap");
  const server = imapUrl ? serverFromUrl(imapUrl) : null;
  const clientId = stringOption(args, "client-id");
  const before = new Set((await engine.accountList({})).map((a) => a.id));
  const { signInId, url } = await engine.signInStart({
    provider,
    email,
    ...(clientId ? { clientId } : {}),
    ...(server ? { imap: { host: server.host, port: server.port, security: server.security } } : {}),
  });
  io.stdout(`${url}\n`);
  io.stderr("Open the address above in your browser and sign in; this waits for the browser to come back (5 minutes at most).\n");
  const account = await engine.signInFinish({ signInId });
  out(
    account,
    `${before.has(account.id) ? "Signed in again" : "Signed in and added account"} #${account.id} ${account.user} at ${account.host}:${account.port}.\n`,
  );
  return 0;
}
