// The domain check against a DNS server on loopback (dnsmasq): one zone per problem and a clean
// one, through the same gathering and evaluation `doctor` and the Overview use; then the CLI.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainCheck } from "../../shared/doctor.js";
import { problemCodes } from "../../electron/engine/doctor/check.js";
import { doctorDomain } from "../../electron/engine/doctor/gather.js";
import { createDns, type Dns } from "../../electron/engine/dns/resolver.js";
import { cli } from "../harness/cli.js";
import { startDns, type DnsZone, type TestDns } from "../harness/dns.js";
import { startDovecot } from "../harness/dovecot.js";
import { seed } from "../harness/imap.js";

const KEY = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC0";
const SPF = "v=spf1 ip4:192.0.2.0/24 -all";

/** A domain with everything in order, but for what `over` changes (null: leave the record out). */
function zone(domain: string, over: { spf?: (string | null)[]; dmarc?: string | null; key?: string | null; mx?: boolean } = {}): DnsZone {
  const txt: [string, ...string[]][] = [];
  for (const s of over.spf ?? [SPF]) if (s) txt.push([domain, s]);
  const dmarc = over.dmarc === undefined ? "v=DMARC1; p=reject; rua=mailto:reports@" + domain : over.dmarc;
  if (dmarc) txt.push([`_dmarc.${domain}`, dmarc]);
  const key = over.key === undefined ? KEY : over.key;
  if (key !== null) txt.push([`sel._domainkey.${domain}`, key]);
  return { txt, mx: over.mx === false ? [] : [[domain, `mx.${domain}`, 10]] };
}

const includes = Array.from({ length: 11 }, (_, i) => `i${i}.many.test`);
const ZONES: DnsZone[] = [
  zone("clean.test"),
  zone("spf-missing.test", { spf: [null] }),
  zone("softfail.test", { spf: ["v=spf1 ip4:192.0.2.0/24 ~all"] }),
  zone("neutral.test", { spf: ["v=spf1 ip4:192.0.2.0/24 ?all"] }),
  zone("passall.test", { spf: ["v=spf1 +all"] }),
  zone("many.test", { spf: [`v=spf1 ${includes.map((i) => `include:${i}`).join(" ")} -all`] }),
  { txt: includes.map((i): [string, string] => [i, "v=spf1 ip4:198.51.100.0/24 -all"]) },
  zone("multiple.test", { spf: [SPF, "v=spf1 ip4:203.0.113.0/24 -all"] }),
  zone("dmarc-missing.test", { dmarc: null }),
  zone("dmarcnone.test", { dmarc: "v=DMARC1; p=none; rua=mailto:r@dmarcnone.test" }),
  zone("quarantine.test", { dmarc: "v=DMARC1; p=quarantine; rua=mailto:r@quarantine.test" }),
  zone("revoked.test", { key: "v=DKIM1; k=rsa; p=" }),
  zone("nokey.test", { key: null }),
  zone("mx-missing.test", { mx: false }),
  {
    txt: [
      ["parked.test", "v=spf1 -all"],
      ["_dmarc.parked.test", "v=DMARC1; p=reject"],
    ],
    mx: [["parked.test", ".", 0]],
  },
];
const merged: DnsZone = { txt: ZONES.flatMap((z) => z.txt ?? []), mx: ZONES.flatMap((z) => z.mx ?? []) };

let server: TestDns;
let dns: Dns;
const seen: { selectors: string[]; relayIps: string[]; reportTo: string | null; ownMailSeen: boolean } = {
  selectors: ["sel"],
  relayIps: ["192.0.2.10"],
  reportTo: "alice@example.test",
  ownMailSeen: true,
};
const check = (domain: string, known = seen): Promise<DomainCheck> => doctorDomain(domain, dns, known);

beforeAll(async () => {
  server = await startDns(merged);
  dns = createDns({ server: server.server });
}, 30_000);
afterAll(async () => {
  await server?.stop();
});

describe("the domain check, one zone per problem", () => {
  it("a clean domain: its records read, no problem, no advice", async () => {
    const c = await check("clean.test");
    expect(c).toMatchObject({ domain: "clean.test", provider: null, mx: ["mx.clean.test"], parked: false, unchecked: [] });
    expect(c.spf).toMatchObject({ record: SPF, all: "-all", lookups: 0, problems: [] });
    expect(c.dmarc).toMatchObject({ policy: "reject", rua: ["mailto:reports@clean.test"], organisationalDomain: "clean.test", problems: [] });
    expect(c.dkim).toEqual({ selectors: ["sel"], problems: [] });
    expect(c.advice).toEqual([]);
  });

  const cases: [string, string][] = [
    ["spf-missing.test", "spf-missing"],
    ["softfail.test", "spf-softfail"],
    ["neutral.test", "spf-neutral"],
    ["passall.test", "spf-pass-all"],
    ["many.test", "spf-too-many-lookups"],
    ["multiple.test", "spf-multiple"],
    ["dmarc-missing.test", "dmarc-missing"],
    ["dmarcnone.test", "dmarc-none"],
    ["quarantine.test", "dmarc-quarantine"],
    ["revoked.test", "dkim-revoked"],
    ["nokey.test", "dkim-missing"],
    ["mx-missing.test", "mx-missing"],
  ];
  for (const [domain, code] of cases) {
    it(`${domain}: ${code}, and advice that names it`, async () => {
      const c = await check(domain);
      expect(problemCodes(c)).toEqual([code]);
      expect(c.advice.map((a) => a.problem.split(":")[0])).toEqual([code]);
      expect(c.advice[0]?.fix.length).toBeGreaterThan(20);
    });
  }

  it("a parked domain (null MX, v=spf1 -all, DMARC reject) is in order: nothing to change", async () => {
    const c = await check("parked.test", { selectors: [], relayIps: [], reportTo: null, ownMailSeen: false });
    expect(c).toMatchObject({ parked: true, mx: ["."], advice: [] });
    expect(problemCodes(c)).toEqual([]);
  });

  it("counts SPF look-ups through includes, as RFC 7208 does", async () => {
    const c = await check("many.test");
    expect(c.spf.lookups).toBe(11);
    expect(c.spf.includes).toEqual(includes);
  });

  it("stages DMARC: p=none → quarantine → reject, each only once SPF and DKIM are in order", async () => {
    expect((await check("dmarc-missing.test")).advice[0]?.record).toBe('_dmarc.dmarc-missing.test TXT "v=DMARC1; p=none; rua=mailto:alice@example.test"');
    expect((await check("dmarcnone.test")).advice[0]?.record).toBe('_dmarc.dmarcnone.test TXT "v=DMARC1; p=quarantine; rua=mailto:r@dmarcnone.test"');
    expect((await check("quarantine.test")).advice[0]?.record).toBe('_dmarc.quarantine.test TXT "v=DMARC1; p=reject; rua=mailto:r@quarantine.test"');
  });

  it("never advises an SPF -all that a relay of the user's own mail would fail", async () => {
    const covered = await check("softfail.test");
    expect(covered.advice[0]?.record).toBe('softfail.test TXT "v=spf1 ip4:192.0.2.0/24 -all"');
    const outside = await check("softfail.test", { ...seen, relayIps: ["198.51.100.20"] });
    expect(outside.advice[0]?.record).toBe('softfail.test TXT "v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.20 ~all"');
    expect(outside.advice[0]?.fix).toMatch(/-all now would make your own mail fail/);
    const unknown = await check("softfail.test", { ...seen, relayIps: [] });
    expect(unknown.advice[0]?.record).toBeNull();
  });

  it("a big provider's domain: the provider runs its DNS; nothing to publish, only to wait, sweep and report", async () => {
    const c = await check("gmail.com", { selectors: [], relayIps: [], reportTo: null, ownMailSeen: false });
    expect(c.provider).toBe("Gmail / Google Workspace");
    expect(c.advice).toHaveLength(1);
    expect(c.advice[0]).toMatchObject({ problem: "provider", record: null });
    expect(c.advice[0]?.fix).toMatch(/nothing for you to change/);
  });
});

describe("backscatter-sweeper doctor", () => {
  it("--json prints one object in the stable shape; a clean domain gets no advice; exit 0", async () => {
    const r = await cli(["doctor", "clean.test", "--json", "--dns", server.server]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(expect.arrayContaining(["domain", "provider", "spf", "dkim", "dmarc", "mx", "advice"]));
    expect(out["advice"]).toEqual([]);
    expect(out["spf"]).toEqual({ record: SPF, all: "-all", lookups: 0, problems: [] });
  });

  it("names the problem by its code and gives the record to publish; exit 0", async () => {
    const r = await cli(["doctor", "spf-missing.test", "--json", "--dns", server.server]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { spf: { problems: string[] }; advice: { problem: string; record: string | null }[] };
    expect(out.spf.problems[0]).toMatch(/^spf-missing: /);
    expect(out.advice[0]?.record).toBe('spf-missing.test TXT "v=spf1 mx ~all"');
  });

  it("exits 1 when the domain cannot be looked up at all", async () => {
    const r = await cli(["doctor", "clean.test", "--json", "--dns", "off"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not be looked up/);
  });

  it("--account: the sending domains of the account, with the selectors its sent mail is signed with", { timeout: 60_000 }, async () => {
    const d = await startDovecot();
    try {
      const signed =
        "DKIM-Signature: v=1; a=rsa-sha256; d=revoked.test; s=sel; h=from; bh=x; b=y\r\nMessage-ID: <s1@revoked.test>\r\nDate: Mon, 30 Nov 2026 08:00:00 +0000\r\nFrom: Alice <alice@revoked.test>\r\nTo: bob@remote.test\r\nSubject: Hi\r\n\r\nHello.\r\n";
      await seed(d, [{ folder: "Sent", raw: signed, messageId: "s1@revoked.test", expect: "stay", label: "sent" }]);
      const env = { BSS_PASSWORD: "alice-secret", XDG_DATA_HOME: "" };
      const db = ["--db", `${d.dir}/profile.sqlite`];
      expect(
        (await cli(["account", "add", `imap://alice%40example.org@127.0.0.1:${d.port}`, "--password-env", "BSS_PASSWORD", ...db], undefined, env)).code,
      ).toBe(0);
      expect((await cli(["index", ...db], undefined, env)).code).toBe(0);
      const r = await cli(["doctor", "--account", "alice@example.org", "--json", "--dns", server.server, ...db], undefined, env);
      const lines = r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { domain: string; dkim: { selectors: string[]; problems: string[] } });
      expect(lines.map((l) => l.domain)).toEqual(["example.org", "revoked.test"]);
      expect(lines[1]?.dkim.selectors).toEqual(["sel"]);
      expect(lines[1]?.dkim.problems[0]).toMatch(/^dkim-revoked: /);
    } finally {
      await d.stop();
    }
  });
});
