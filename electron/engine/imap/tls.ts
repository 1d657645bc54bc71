/**
 * Trusting a self-signed server by its pinned certificate. Verification stays on: the server's
 * own certificate becomes the only trust anchor, and the connection is accepted only when the
 * certificate's SHA-256 fingerprint equals the pin. Verification is never switched off.
 */
import { connect as netConnect, isIP } from "node:net";
import { connect as tlsConnect, type ConnectionOptions, type PeerCertificate, type TLSSocket } from "node:tls";
import type { Account } from "../../../shared/model.js";
import { ImapError } from "./errors.js";

/** "AB:CD:..." or "abcd..." to "AB:CD:..." (the form Node reports). */
export function normaliseFingerprint(fp: string): string {
  const hex = fp.replace(/[^0-9a-f]/gi, "").toUpperCase();
  return hex.match(/.{2}/g)?.join(":") ?? "";
}

/**
 * Reads the server's certificate without trusting it, over implicit TLS or after STARTTLS.
 * `address` is where to connect when the caller has already resolved the host name.
 */
export function peerCertificate(account: Pick<Account, "host" | "port" | "security">, timeoutMs: number, address = account.host): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => reject(error);
    const timer = setTimeout(() => fail(new ImapError("timeout", `${account.host}:${account.port} did not answer in time.`)), timeoutMs);
    const finish = (socket: TLSSocket): void => {
      socket.once("secureConnect", () => {
        clearTimeout(timer);
        const cert = socket.getPeerCertificate(true);
        socket.destroy();
        resolve(cert);
      });
      socket.once("error", (e) => {
        clearTimeout(timer);
        fail(e);
      });
    };
    // Only reading the certificate: nothing is sent over this connection but the handshake.
    const probe: ConnectionOptions = { rejectUnauthorized: false, ...(isIP(account.host) === 0 ? { servername: account.host } : {}) };
    if (account.security === "tls") {
      finish(tlsConnect({ host: address, port: account.port, ...probe }));
      return;
    }
    const plain = netConnect(account.port, address);
    let buffer = "";
    let asked = false;
    plain.on("error", (e) => {
      clearTimeout(timer);
      fail(e);
    });
    plain.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("latin1");
      if (!asked && /^\* (?:OK|PREAUTH)[^\n]*\n/.test(buffer)) {
        asked = true;
        buffer = "";
        plain.write("S1 STARTTLS\r\n");
      } else if (asked && /^S1 OK/m.test(buffer)) {
        plain.removeAllListeners("data");
        finish(tlsConnect({ socket: plain, ...probe }));
      } else if (asked && /^S1 (?:NO|BAD)/m.test(buffer)) {
        clearTimeout(timer);
        plain.destroy();
        fail(new ImapError("tls", `${account.host} does not offer STARTTLS.`));
      }
    });
  });
}

/** TLS options that trust exactly the pinned certificate, after checking the live one matches. */
export async function pinnedTlsOptions(account: Account, timeoutMs: number, address = account.host): Promise<ConnectionOptions> {
  const pin = normaliseFingerprint(account.pinnedFingerprint ?? "");
  const cert = await peerCertificate(account, timeoutMs, address);
  if (normaliseFingerprint(cert.fingerprint256) !== pin) {
    throw new ImapError(
      "certificate",
      `The certificate of ${account.host} has changed: its fingerprint is ${cert.fingerprint256}, the pinned one is ${pin}. Someone may be intercepting the connection.`,
      cert.fingerprint256,
    );
  }
  const pem = `-----BEGIN CERTIFICATE-----\n${
    cert.raw
      .toString("base64")
      .match(/.{1,64}/g)
      ?.join("\n") ?? ""
  }\n-----END CERTIFICATE-----\n`;
  return {
    ca: [pem],
    // The pinned certificate names whatever its owner chose; the pin, not the name, identifies it.
    checkServerIdentity: (_host, peer) =>
      normaliseFingerprint(peer.fingerprint256) === pin ? undefined : new Error(`certificate fingerprint ${peer.fingerprint256} does not match the pin`),
  };
}
