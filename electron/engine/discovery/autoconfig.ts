/**
 * Thunderbird's autoconfig format (config-v1.1.xml): the IMAP server it names, its socket type
 * and how the user name is formed. Pure, and deliberately small: we read only the first IMAP
 * <incomingServer>, and the file comes from the network, so nothing in it is trusted beyond that.
 */
import type { Security } from "../../../shared/model.js";

export interface AutoconfigServer {
  host: string;
  port: number;
  security: Security;
  /** The user name with %EMAILADDRESS% / %EMAILLOCALPART% / %EMAILDOMAIN% filled in. */
  user: string;
  /** "oauth" when the server names OAuth2 as its (first) authentication. */
  signIn: "password" | "oauth";
}

const decode = (s: string): string =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
const tag = (xml: string, name: string): string | null => {
  const m = new RegExp(`<${name}>([^<]{0,500})</${name}>`, "i").exec(xml);
  return m?.[1] !== undefined ? decode(m[1]) : null;
};

export function parseAutoconfig(xml: string, email: string): AutoconfigServer | null {
  const block = /<incomingServer\s+type\s*=\s*["']imap["']\s*>([\s\S]{0,4000}?)<\/incomingServer>/i.exec(xml.slice(0, 200_000))?.[1];
  if (!block) return null;
  const host = tag(block, "hostname");
  const port = Number(tag(block, "port"));
  if (!host || !/^[A-Za-z0-9.-]{1,253}$/.test(host) || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  const socket = (tag(block, "socketType") ?? "").toUpperCase();
  const security: Security = socket === "SSL" ? "tls" : socket === "STARTTLS" ? "starttls" : "plain";
  const [local = "", domain = ""] = email.split("@");
  const user = (tag(block, "username") ?? "%EMAILADDRESS%")
    .replace(/%EMAILADDRESS%/g, email)
    .replace(/%EMAILLOCALPART%/g, local)
    .replace(/%EMAILDOMAIN%/g, domain);
  const auth = (tag(block, "authentication") ?? "").toLowerCase();
  return { host: host.toLowerCase(), port, security, user, signIn: auth === "oauth2" ? "oauth" : "password" };
}
