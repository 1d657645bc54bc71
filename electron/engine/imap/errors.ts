/**
 * IMAP and network failures in words a user understands, one message per cause: DNS, refused,
 * TLS, certificate, bad credentials, timeout.
 */
import type { Account } from "../../../shared/model.js";

export type ImapErrorKind =
  | "dns"
  | "refused"
  | "tls"
  | "certificate"
  | "credentials"
  | "timeout"
  | "config"
  | "protocol"
  | "connection"
  | "quota"
  | "busy"
  | "signin"
  | "limit"
  | "budget"
  | "throttled";

/** Failures worth a reconnect and another try: the connection dropped or the server went quiet. */
export function isTransient(error: unknown): boolean {
  if (error instanceof ImapError) return error.kind === "connection" || error.kind === "timeout" || error.kind === "limit" || error.kind === "throttled";
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return (
    typeof code === "string" &&
    /^(?:NoConnection|EConnectionClosed|ECONNRESET|EPIPE|ETIMEOUT|ETIMEDOUT|CONNECT_TIMEOUT|GREETING_TIMEOUT|UPGRADE_TIMEOUT|ClosedAfterConnectText|ClosedAfterConnectTLS)$/.test(
      code,
    )
  );
}

export class ImapError extends Error {
  constructor(
    readonly kind: ImapErrorKind,
    message: string,
    /** For certificate errors: the server certificate's SHA-256 fingerprint, to pin after checking it. */
    readonly fingerprint?: string,
  ) {
    super(message);
  }
}

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  authenticationFailed?: unknown;
  responseText?: unknown;
  serverResponseCode?: unknown;
  /** The whole tagged answer, where imapflow keeps it. */
  response?: unknown;
  fingerprint?: unknown;
}

/** A server asking its clients to slow down: [THROTTLED] (and Office 365's "Server Unavailable" and "throttled" words). */
const THROTTLED = /\[THROTTLED\]|throttl|too many requests|server (?:is )?(?:unavailable|busy)|too busy|try again later/i;

/** A command the server refused because the client goes too fast: waited out and tried again, slower (operations.ts). */
export function throttledError(account: Pick<Account, "host">, said: string): ImapError {
  return new ImapError("throttled", `${account.host} asked the app to slow down${said ? ` ("${said}")` : ""}. It waits and goes on; nothing was changed.`);
}

/** True when a refusal's code or words say the server is throttling. */
export function isThrottling(code: unknown, said: string): boolean {
  return code === "THROTTLED" || code === "UNAVAILABLE" || THROTTLED.test(said);
}

/** A server that takes no more connections from this user now (RFC 5530 [LIMIT]; Gmail's and Dovecot's own words). */
const CONNECTION_LIMIT = /maximum number of (?:simultaneous )?connections|too many (?:simultaneous |concurrent )?connections/i;

const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME|PIN_MISMATCH/;

/** Maps whatever imapflow or Node threw to an {@link ImapError}. */
export function describeImapError(error: unknown, account: Pick<Account, "host" | "port" | "user">): ImapError {
  if (error instanceof ImapError) return error;
  const e = (typeof error === "object" && error !== null ? error : { message: String(error) }) as ErrorShape;
  const code = typeof e.code === "string" ? e.code : "";
  const text = typeof e.message === "string" ? e.message : String(error);
  const where = `${account.host}:${account.port}`;
  const response = typeof e.responseText === "string" ? e.responseText : "";
  // Office 365's BAD "Request is throttled", already waited out as often as uidFetch.ts does: said, not tried again.
  if (code === "ETHROTTLE") {
    return new ImapError(
      "protocol",
      `${where} is limiting how many requests it answers (throttling) and kept refusing after we waited as it asked. Nothing was changed; try again in a few minutes, and the scan goes on where it stopped.`,
    );
  }
  if (isThrottling(e.serverResponseCode, `${response} ${typeof e.response === "string" ? e.response : ""}`)) return throttledError(account, response);
  if (e.serverResponseCode === "LIMIT" || CONNECTION_LIMIT.test(`${text} ${response}`)) {
    return new ImapError(
      "limit",
      `${account.host} takes no more connections for ${account.user} right now${response ? ` ("${response}")` : ""}: other mail programs hold them. Nothing was changed; it is tried again.`,
    );
  }
  if (
    e.authenticationFailed === true ||
    /AUTHENTICATIONFAILED|authentication failed|invalid credentials|LOGIN failed/i.test(`${text} ${String(e.responseText ?? "")}`)
  ) {
    return new ImapError(
      "credentials",
      `The server at ${account.host} refused the user name or password for ${account.user}. Check them; Gmail and iCloud need an app password.`,
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME")
    return new ImapError("dns", `The server name ${account.host} could not be found (DNS). Check the spelling and your internet connection.`);
  if (code === "ECONNREFUSED") return new ImapError("refused", `${where} refused the connection. Check the port and that the server runs IMAP there.`);
  if (code === "ETIMEDOUT" || code === "ETIMEOUT" || code === "CONNECT_TIMEOUT" || code === "GREETING_TIMEOUT" || /timed? ?out/i.test(text)) {
    return new ImapError("timeout", `${where} did not answer in time. The server may be down, or a firewall may block the port.`);
  }
  if (CERT_CODES.test(code) || /certificate/i.test(text)) {
    const fp = typeof e.fingerprint === "string" ? e.fingerprint : undefined;
    return new ImapError(
      "certificate",
      `The certificate of ${account.host} is not trusted (${code || text}). If this is your own server with a self-signed certificate, check its fingerprint and pin it.`,
      fp,
    );
  }
  if (/^ERR_SSL|EPROTO/.test(code) || /SSL|TLS|wrong version number|handshake/i.test(text)) {
    return new ImapError("tls", `A secure (TLS) connection to ${where} failed (${code || text}). Check whether the port expects TLS or STARTTLS.`);
  }
  if (/STARTTLS/i.test(text))
    return new ImapError("tls", `${where} does not offer STARTTLS, so the password would travel unencrypted. Use the TLS port instead.`);
  if (
    code === "NoConnection" ||
    code === "EConnectionClosed" ||
    code === "ECONNRESET" ||
    code === "EPIPE" ||
    code.startsWith("ClosedAfterConnect") ||
    /connection (?:closed|not available)/i.test(text)
  ) {
    return new ImapError("connection", `The connection to ${where} was lost: ${text}`);
  }
  // imapflow's message for a refused command is "Command failed"; the server's own words say more.
  return new ImapError("protocol", `The server at ${where} answered with an error: ${response || text}`);
}

/** Fields of the errors imapflow swallows (and only logs) when a command fails. */
export interface CommandFailure {
  code?: unknown;
  message?: unknown;
  responseText?: unknown;
  serverResponseCode?: unknown;
}

/**
 * imapflow's logger, kept only for what it is told of failed commands: several verbs return
 * `false` and log the reason instead of throwing it. Nothing is printed.
 */
export class FailureRecorder {
  last: CommandFailure | null = null;
  readonly logger = {
    debug: (): void => undefined,
    info: (): void => undefined,
    warn: (entry: unknown): void => this.record(entry),
    error: (entry: unknown): void => this.record(entry),
  };
  private record(entry: unknown): void {
    const err = typeof entry === "object" && entry !== null ? (entry as { err?: unknown }).err : undefined;
    if (typeof err === "object" && err !== null) this.last = err as CommandFailure;
  }
}
