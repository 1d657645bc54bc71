/**
 * Tokens: the authorization code exchanged (with the PKCE verifier), refreshed before they expire
 * and after the server refused one, kept as the account's secret (never in SQLite, never logged).
 */
import type { OAuthSettings } from "../../../shared/model.js";
import { OAuthError, type Fetch } from "./provider.js";

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** ms since the epoch. */
  expiresAt: number;
}

/** Refresh when less than this is left, so a long scan does not log in with a dying token. */
export const REFRESH_MARGIN_MS = 60_000;

export const serializeTokens = (t: Tokens): string => JSON.stringify({ oauth2: t });

export function parseTokens(secret: string): Tokens | null {
  try {
    const v = (JSON.parse(secret) as { oauth2?: Tokens }).oauth2;
    return v && typeof v.accessToken === "string" && typeof v.refreshToken === "string" && typeof v.expiresAt === "number" ? v : null;
  } catch {
    return null;
  }
}

async function tokenRequest(
  settings: OAuthSettings,
  form: Record<string, string>,
  fetch: Fetch,
  now: () => number,
  keepRefresh: string | null,
): Promise<Tokens> {
  const r = await fetch(settings.tokenEndpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({ client_id: settings.clientId, ...form }).toString(),
  }).catch((e: unknown) =>
    Promise.reject(new OAuthError("protocol", `The sign-in server could not be reached: ${e instanceof Error ? e.message : String(e)}`)),
  );
  let answer: { access_token?: string; refresh_token?: string; expires_in?: number; error?: string; error_description?: string } = {};
  try {
    answer = JSON.parse(await r.text()) as typeof answer;
  } catch {
    /* not JSON: said below */
  }
  if (!r.ok || !answer.access_token) {
    const said = answer.error_description ?? answer.error ?? `HTTP ${r.status}`;
    if (answer.error === "invalid_grant" && form["grant_type"] === "refresh_token")
      throw new OAuthError("revoked", `The sign-in is no longer valid (${said}). Sign in again.`);
    throw new OAuthError(answer.error === "invalid_grant" ? "denied" : "protocol", `The sign-in server refused: ${said}.`);
  }
  const refreshToken = answer.refresh_token ?? keepRefresh;
  if (!refreshToken)
    throw new OAuthError("protocol", "The sign-in server gave no refresh token, so the app could not stay signed in. Sign in again and allow offline access.");
  return { accessToken: answer.access_token, refreshToken, expiresAt: now() + (answer.expires_in ?? 3600) * 1000 };
}

/** The authorization code for tokens; the verifier proves we are the ones who asked (PKCE). */
export function exchangeCode(
  settings: OAuthSettings,
  code: string,
  verifier: string,
  redirectUri: string,
  fetch: Fetch,
  now: () => number = Date.now,
): Promise<Tokens> {
  return tokenRequest(settings, { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: redirectUri }, fetch, now, null);
}

/** New tokens from the refresh token; OAuthError "revoked" when the user (or the provider) withdrew it. */
export function refreshTokens(settings: OAuthSettings, tokens: Tokens, fetch: Fetch, now: () => number = Date.now): Promise<Tokens> {
  return tokenRequest(settings, { grant_type: "refresh_token", refresh_token: tokens.refreshToken }, fetch, now, tokens.refreshToken);
}
