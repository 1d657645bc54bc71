/**
 * Sign-ins the UI started and has not finished: the engine opens the loopback port and holds the
 * verifier; the UI opens the address in the user's browser and then waits on signInFinish. The
 * account is added (or, when it exists, only its tokens replaced) once the browser came back.
 */
import type { Account, AccountInput, Security } from "../../../shared/model.js";
import type { CoreApi } from "../../../shared/api.js";
import { PROVIDERS } from "../../../shared/providers.js";
import { resolveProvider, OAuthError, type Fetch } from "./provider.js";
import { startSignIn, type SignIn } from "./signin.js";
import { serializeTokens } from "./tokens.js";

/** Where a named OAuth provider serves IMAP: its preset's server. */
function imapOf(provider: string): { host: string; port: number; security: Security } | undefined {
  const preset = PROVIDERS.find((p) => p.oauth === provider.toLowerCase());
  return preset ? { host: preset.host, port: preset.port, security: preset.security } : undefined;
}

export interface PendingSignIns {
  start(args: Parameters<CoreApi["signInStart"]>[0]): ReturnType<CoreApi["signInStart"]>;
  finish(args: { signInId: number }): Promise<Account>;
}

export function createPendingSignIns(
  accounts: Pick<CoreApi, "accountList" | "accountAdd" | "accountUpdate">,
  env: Record<string, string | undefined>,
  fetch: Fetch,
): PendingSignIns {
  const pending = new Map<number, { signIn: SignIn; input: AccountInput }>();
  let next = 1;
  return {
    async start({ provider, clientId, email, imap }) {
      const where = imap ?? imapOf(provider);
      if (!where) throw new OAuthError("config", `Say where ${provider} serves IMAP (server, port and security).`);
      const settings = await resolveProvider(provider, clientId ?? null, env, fetch);
      const signIn = await startSignIn(settings, email, fetch);
      const signInId = next++;
      pending.set(signInId, { signIn, input: { ...where, user: email, oauth: settings } });
      // Forgotten a minute after it ended; the timer must not keep a CLI process alive.
      signIn.done.catch(() => undefined).finally(() => setTimeout(() => pending.delete(signInId), 60_000).unref());
      return { signInId, url: signIn.url };
    },
    async finish({ signInId }) {
      const p = pending.get(signInId);
      if (!p) throw new OAuthError("timeout", "This sign-in is no longer waiting. Start it again.");
      const secret = serializeTokens(await p.signIn.done);
      pending.delete(signInId);
      const { input } = p;
      const existing = (await accounts.accountList({})).find((a) => a.user === input.user && a.host === input.host && a.port === input.port);
      return existing
        ? accounts.accountUpdate({ accountId: existing.id, changes: { oauth: input.oauth ?? null }, secret })
        : accounts.accountAdd({ account: input, secret });
    },
  };
}
