// Settings from an email address: the bundled presets, the domain's autoconfig file (served here
// by a loopback HTTP server standing in for https://autoconfig.DOMAIN and http://DOMAIN/.well-known),
// and MX records from an injected resolver: no real DNS, no traffic off this computer. Then the CLI
// adding an account from an address alone.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discover, type DiscoveryDeps } from "../../electron/engine/discovery/discover.js";
import { parseAutoconfig } from "../../electron/engine/discovery/autoconfig.js";
import { PROVIDERS } from "../../shared/providers.js";
import { cli } from "../harness/cli.js";

const xml = (host: string, port: number, socket: string, user = "%EMAILADDRESS%", auth = "password-cleartext"): string =>
  `<?xml version="1.0"?><clientConfig version="1.1"><emailProvider id="x"><incomingServer type="pop3"><hostname>pop.wrong.example</hostname><port>995</port></incomingServer>` +
  `<incomingServer type="imap"><hostname>${host}</hostname><port>${port}</port><socketType>${socket}</socketType><username>${user}</username><authentication>${auth}</authentication></incomingServer></emailProvider></clientConfig>`;

/** What each "site" serves: scheme://host/path → body. */
const SITES: Record<string, string> = {
  "https://autoconfig.example.org/mail/config-v1.1.xml": xml("imap.example.org", 993, "SSL", "%EMAILLOCALPART%"),
  "http://plain.example/.well-known/autoconfig/mail/config-v1.1.xml": xml("mail.plain.example", 143, "STARTTLS"),
  "https://autoconfig.hostile.example/mail/config-v1.1.xml": xml("bad host;rm -rf", 99999, "SSL"),
  "https://autoconfig.oauth.example/mail/config-v1.1.xml": xml("imap.oauth.example", 993, "SSL", "%EMAILADDRESS%", "OAuth2"),
};
const MX: Record<string, string[]> = { "workspace.example": ["aspmx.l.google.com."], "m365.example": ["m365-example.mail.protection.outlook.com"] };

let server: Server;
let port = 0;
const asked: string[] = [];
let deps: DiscoveryDeps;

beforeAll(async () => {
  server = createServer((req, res) => {
    const site = `${req.headers["x-scheme"] as string}://${req.headers["x-host"] as string}${(req.url ?? "").split("?")[0]}`;
    const body = SITES[site];
    res.writeHead(body ? 200 : 404, { "Content-Type": "application/xml" });
    res.end(body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  port = typeof address === "object" && address ? address.port : 0;
  // Every URL goes to the loopback server, its host and scheme carried in headers (fetch will not send a Host of our choosing).
  deps = {
    get: async (url) => {
      asked.push(url);
      const u = new URL(url);
      const r = await fetch(`http://127.0.0.1:${port}${u.pathname}${u.search}`, { headers: { "X-Host": u.host, "X-Scheme": u.protocol.replace(":", "") } });
      return r.ok ? r.text() : null;
    },
    mx: async (domain) => MX[domain] ?? [],
  };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("discovery from an email address", () => {
  it("knows the bundled providers by their domains, without asking the network", async () => {
    asked.length = 0;
    expect(await discover("alice@gmail.com", deps)).toMatchObject({
      host: "imap.gmail.com",
      port: 993,
      security: "tls",
      signIn: "oauth",
      oauth: "google",
      source: "preset",
      confirm: false,
    });
    expect(await discover("bob@hotmail.com", deps)).toMatchObject({ host: "outlook.office365.com", oauth: "microsoft" });
    expect(await discover("c@pm.me", deps)).toMatchObject({ host: "127.0.0.1", port: 1143, signIn: "bridge" });
    expect(asked).toEqual([]);
    expect(PROVIDERS.map((p) => p.id)).toEqual(["gmail", "microsoft", "yahoo", "icloud", "fastmail", "gmx", "webde", "zoho", "proton"]);
  });

  it("reads the domain's autoconfig over https, with the user name as it asks", async () => {
    expect(await discover("alice@example.org", deps)).toEqual({
      host: "imap.example.org",
      port: 993,
      security: "tls",
      user: "alice",
      signIn: "password",
      source: "autoconfig",
      note: "Settings published by example.org.",
      confirm: false,
    });
    expect(await discover("o@oauth.example", deps)).toMatchObject({ signIn: "oauth", host: "imap.oauth.example" });
  });

  it("marks settings found over plain http for the user to confirm, after trying https", async () => {
    asked.length = 0;
    const d = await discover("bob@plain.example", deps);
    expect(d).toMatchObject({ host: "mail.plain.example", port: 143, security: "starttls", source: "autoconfig-http", confirm: true });
    expect(d?.note).toMatch(/plain http.*Check them/);
    expect(asked.map((u) => u.split("?")[0])).toEqual([
      "https://autoconfig.plain.example/mail/config-v1.1.xml",
      "https://plain.example/.well-known/autoconfig/mail/config-v1.1.xml",
      "http://autoconfig.plain.example/mail/config-v1.1.xml",
      "http://plain.example/.well-known/autoconfig/mail/config-v1.1.xml",
    ]);
  });

  it("falls back to the MX records: Google or Microsoft MX → that provider", async () => {
    expect(await discover("boss@workspace.example", deps)).toMatchObject({ providerId: "gmail", source: "mx", oauth: "google" });
    expect((await discover("boss@workspace.example", deps))?.note).toMatch(/^workspace\.example's mail is handled by Gmail \/ Google Workspace\./);
    expect(await discover("x@m365.example", deps)).toMatchObject({ providerId: "microsoft", source: "mx" });
  });

  it("finds nothing rather than something wrong: a hostile file, an unknown domain, not an address", async () => {
    expect(await discover("x@hostile.example", deps)).toBeNull();
    expect(await discover("x@nothing.example", deps)).toBeNull();
    expect(await discover("not an address", deps)).toBeNull();
    expect(
      parseAutoconfig("<clientConfig><incomingServer type='imap'><hostname>h.example</hostname><port>0</port></incomingServer></clientConfig>", "a@b.c"),
    ).toBeNull();
  });

  it("the CLI adds an account from an address alone, asking only for the password", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "bss-discover-"));
    try {
      writeFileSync(join(dir, "pw"), "app-password\n");
      const r = await cli(["account", "add", "carol@yahoo.com", "--password-file", join(dir, "pw"), "--db", join(dir, "p.sqlite")]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain("imap.mail.yahoo.com:993 (tls), from the app's list of providers. Yahoo needs an app password");
      const [account] = JSON.parse((await cli(["account", "list", "--json", "--db", join(dir, "p.sqlite")])).stdout) as {
        host: string;
        port: number;
        security: string;
        user: string;
      }[];
      expect(account).toMatchObject({ host: "imap.mail.yahoo.com", port: 993, security: "tls", user: "carol@yahoo.com" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
