/**
 * Signing in like a mail app: the authorization code flow with PKCE (S256) in the user's own
 * browser, redirected back to a loopback port opened for this one sign-in and closed after it
 * (RFC 8252). The state parameter ties the answer to the request; the verifier never leaves us
 * until the code is exchanged.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { OAuthSettings } from "../../../shared/model.js";
import { OAuthError, type Fetch } from "./provider.js";
import { exchangeCode, type Tokens } from "./tokens.js";

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url"); // 43 characters, as RFC 7636 asks at least
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface SignIn {
  /** Open this in the user's browser. */
  url: string;
  /** The tokens, once the browser came back with a code (or the reason it did not). */
  done: Promise<Tokens>;
  cancel(): void;
}

const PAGE = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font:16px system-ui;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

export async function startSignIn(settings: OAuthSettings, loginHint: string, fetch: Fetch, timeoutMs = 5 * 60_000): Promise<SignIn> {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString("base64url");
  let settle: { resolve(t: Tokens): void; reject(e: Error): void } = { resolve: () => undefined, reject: () => undefined };
  const done = new Promise<Tokens>((resolve, reject) => (settle = { resolve, reject }));
  let redirectUri = "";
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", redirectUri);
    if (url.pathname !== "/callback") {
      res.writeHead(404).end();
      return;
    }
    const finish = (ok: boolean, text: string): void => {
      res.writeHead(ok ? 200 : 400, { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'" });
      res.end(PAGE(ok ? "Signed in" : "Not signed in", text));
    };
    const error = url.searchParams.get("error");
    if (url.searchParams.get("state") !== state)
      return finish(false, "This answer does not belong to the sign-in the app started. Start it again from the app.");
    if (error) {
      finish(false, "The sign-in was not allowed. You can close this tab and try again from the app.");
      return settle.reject(new OAuthError("denied", `The sign-in was not allowed (${url.searchParams.get("error_description") ?? error}).`));
    }
    exchangeCode(settings, url.searchParams.get("code") ?? "", verifier, redirectUri, fetch).then(
      (tokens) => {
        finish(true, "You can close this tab and go back to Backscatter Sweeper.");
        settle.resolve(tokens);
      },
      (e: unknown) => {
        finish(false, "The sign-in could not be finished. Go back to the app for the reason.");
        settle.reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  redirectUri = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/callback`;
  const timer = setTimeout(() => settle.reject(new OAuthError("timeout", "The sign-in was not finished within 5 minutes. Start it again.")), timeoutMs);
  timer.unref();
  const close = (): void => {
    clearTimeout(timer);
    server.close();
  };
  done.then(close, close);
  const url = new URL(settings.authorizationEndpoint);
  const params = {
    response_type: "code",
    client_id: settings.clientId,
    redirect_uri: redirectUri,
    scope: settings.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
    login_hint: loginHint,
    ...settings.extra,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { url: url.href, done, cancel: () => settle.reject(new OAuthError("denied", "The sign-in was cancelled.")) };
}
