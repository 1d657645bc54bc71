/**
 * A small OAuth2/OpenID provider on loopback for tests: discovery, authorization with PKCE (it
 * approves at once, as a user clicking "Allow" would), the token endpoint (authorization code with
 * the verifier checked, refresh grant), revocation, and token introspection for Dovecot's oauth2
 * passdb. Access tokens live `accessTtlMs`; the test can expire or revoke them.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface OAuthProviderOptions {
  /** The user every sign-in signs in as. */
  user: string;
  clientId: string;
  accessTtlMs?: number;
}

export interface OAuthProvider {
  issuer: string;
  clientId: string;
  /** Refresh grants answered, and authorizations given. */
  readonly refreshes: number;
  readonly authorizations: number;
  /** Makes every access token issued so far expire now. */
  expireAccessTokens(): void;
  /** Revokes every refresh token (as the user does in the provider's security page). */
  revokeRefreshTokens(): void;
  close(): Promise<void>;
}

const b64url = (b: Buffer): string => b.toString("base64url");
const token = (): string => b64url(randomBytes(24));

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  let raw = "";
  for await (const chunk of req) raw += (chunk as Buffer).toString();
  return new URLSearchParams(raw);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(value));
}

export async function startOAuthProvider(options: OAuthProviderOptions): Promise<OAuthProvider> {
  const ttl = options.accessTtlMs ?? 3_600_000;
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const access = new Map<string, number>(); // token → expires at
  const refresh = new Set<string>();
  let refreshes = 0;
  let authorizations = 0;
  let issuer = "";

  const issue = (res: ServerResponse, withRefresh: string | null): void => {
    const accessToken = token();
    access.set(accessToken, Date.now() + ttl);
    const refreshToken = withRefresh ?? token();
    refresh.add(refreshToken);
    json(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: Math.floor(ttl / 1000), refresh_token: refreshToken, scope: "imap" });
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", issuer);
      if (url.pathname === "/.well-known/openid-configuration") {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          revocation_endpoint: `${issuer}/revoke`,
          introspection_endpoint: `${issuer}/introspect`,
          code_challenge_methods_supported: ["S256"],
        });
      }
      if (url.pathname === "/authorize") {
        const p = url.searchParams;
        if (
          p.get("client_id") !== options.clientId ||
          p.get("response_type") !== "code" ||
          p.get("code_challenge_method") !== "S256" ||
          !p.get("code_challenge")
        ) {
          return json(res, 400, { error: "invalid_request" });
        }
        const redirect = new URL(p.get("redirect_uri") ?? "");
        if (redirect.hostname !== "127.0.0.1") return json(res, 400, { error: "invalid_request", error_description: "redirect_uri must be loopback" });
        const code = token();
        codes.set(code, { challenge: p.get("code_challenge") ?? "", redirectUri: redirect.href });
        authorizations++;
        redirect.searchParams.set("code", code);
        redirect.searchParams.set("state", p.get("state") ?? "");
        res.writeHead(302, { Location: redirect.href });
        return res.end();
      }
      if (url.pathname === "/token" && req.method === "POST") {
        const p = await body(req);
        if (p.get("client_id") !== options.clientId) return json(res, 401, { error: "invalid_client" });
        if (p.get("grant_type") === "authorization_code") {
          const grant = codes.get(p.get("code") ?? "");
          codes.delete(p.get("code") ?? "");
          const challenge = b64url(
            createHash("sha256")
              .update(p.get("code_verifier") ?? "")
              .digest(),
          );
          if (!grant || grant.redirectUri !== p.get("redirect_uri") || grant.challenge !== challenge)
            return json(res, 400, { error: "invalid_grant", error_description: "PKCE verification failed" });
          return issue(res, null);
        }
        if (p.get("grant_type") === "refresh_token") {
          if (!refresh.has(p.get("refresh_token") ?? ""))
            return json(res, 400, { error: "invalid_grant", error_description: "Token has been expired or revoked." });
          refreshes++;
          return issue(res, p.get("refresh_token"));
        }
        return json(res, 400, { error: "unsupported_grant_type" });
      }
      if (url.pathname === "/introspect" && req.method === "POST") {
        const p = await body(req);
        const expires = access.get(p.get("token") ?? "");
        const active = expires !== undefined && expires > Date.now();
        // Dovecot 2.3 wants token_type Bearer, or it calls the answer a temporary failure.
        return json(
          res,
          200,
          active
            ? { active: true, username: options.user, token_type: "Bearer", exp: Math.floor((expires ?? 0) / 1000) }
            : { active: false, token_type: "Bearer" },
        );
      }
      json(res, 404, { error: "not_found" });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  issuer = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    issuer,
    clientId: options.clientId,
    get refreshes() {
      return refreshes;
    },
    get authorizations() {
      return authorizations;
    },
    expireAccessTokens: () => {
      for (const k of access.keys()) access.set(k, 0);
    },
    revokeRefreshTokens: () => refresh.clear(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
