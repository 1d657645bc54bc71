/**
 * Where to sign in: Google and Microsoft by name, any other OAuth2/OpenID provider by its issuer
 * URL (discovery at /.well-known/openid-configuration). Client IDs are configuration — our own
 * registration, given on the command line or in the environment — never copied from another app.
 */
import type { OAuthSettings } from "../../../shared/model.js";

export class OAuthError extends Error {
  constructor(
    /** "revoked": the refresh token no longer works, the user must sign in again. */
    readonly kind: "config" | "denied" | "revoked" | "protocol" | "timeout",
    message: string,
  ) {
    super(message);
  }
}

const KNOWN = {
  google: {
    label: "Google",
    authorizationEndpoint: "https://accounts.google.com/o/oauth2/v2/auth",
    tokenEndpoint: "https://oauth2.googleapis.com/token",
    scope: "https://mail.google.com/",
    // A refresh token only comes with offline access, and again only when consent is asked.
    extra: { access_type: "offline", prompt: "consent" },
    clientEnv: "BSS_GOOGLE_CLIENT_ID",
  },
  microsoft: {
    label: "Microsoft",
    authorizationEndpoint: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    tokenEndpoint: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    scope: "https://outlook.office.com/IMAP.AccessAsUser.All offline_access",
    extra: {},
    clientEnv: "BSS_MICROSOFT_CLIENT_ID",
  },
} as const;

export type Fetch = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/**
 * The endpoints, scope and client ID for `provider` ("google", "microsoft" or an issuer URL).
 * `clientId` wins over the environment; without either there is nothing to sign in with.
 */
export async function resolveProvider(
  provider: string,
  clientId: string | null,
  env: Record<string, string | undefined>,
  fetch: Fetch,
): Promise<OAuthSettings> {
  const known = KNOWN[provider.toLowerCase() as keyof typeof KNOWN];
  if (known) {
    const id = clientId ?? env[known.clientEnv] ?? null;
    if (!id)
      throw new OAuthError(
        "config",
        `No client ID for ${known.label} sign-in. Register the app with ${known.label} (see the README) and give its client ID with --client-id or ${known.clientEnv}.`,
      );
    return {
      provider: provider.toLowerCase(),
      issuer: provider.toLowerCase(),
      authorizationEndpoint: known.authorizationEndpoint,
      tokenEndpoint: known.tokenEndpoint,
      scope: known.scope,
      clientId: id,
      extra: { ...known.extra },
    };
  }
  let issuer: URL;
  try {
    issuer = new URL(provider);
  } catch {
    throw new OAuthError("config", `"${provider}" is neither google, microsoft nor an issuer URL (https://...).`);
  }
  if (issuer.protocol !== "https:" && !/^127\.|^localhost$|^\[::1\]$/.test(issuer.hostname))
    throw new OAuthError("config", `The issuer ${provider} must use https.`);
  if (!clientId) throw new OAuthError("config", `No client ID for ${issuer.host}: give the one your provider registered for this app with --client-id.`);
  const base = issuer.href.replace(/\/$/, "");
  const r = await fetch(`${base}/.well-known/openid-configuration`).catch((e: unknown) =>
    Promise.reject(new OAuthError("protocol", `${issuer.host} could not be reached for its sign-in settings: ${e instanceof Error ? e.message : String(e)}`)),
  );
  if (!r.ok) throw new OAuthError("protocol", `${issuer.host} has no OpenID configuration (HTTP ${r.status}).`);
  const doc = JSON.parse(await r.text()) as { authorization_endpoint?: string; token_endpoint?: string };
  if (!doc.authorization_endpoint || !doc.token_endpoint)
    throw new OAuthError("protocol", `${issuer.host}'s OpenID configuration names no authorization or token endpoint.`);
  return {
    provider: "oidc",
    issuer: base,
    authorizationEndpoint: doc.authorization_endpoint,
    tokenEndpoint: doc.token_endpoint,
    scope: "openid email offline_access",
    clientId,
    extra: {},
  };
}
