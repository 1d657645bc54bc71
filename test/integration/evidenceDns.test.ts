// The network's half of the evidence against a DNS server of our own on loopback (Debian's
// dnsmasq): SPF of the handoff IP and DKIM verification through mailauth, Backscatterer.org's
// list, and the one resolver's cache, timeouts and "no network". Never the internet.
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDns, dnsFromEnv, isNegative } from "../../electron/engine/dns/resolver.js";
import { questionsFor, type OwnFacts } from "../../electron/engine/diagnosis/evidence.js";
import { askNetwork } from "../../electron/engine/diagnosis/network.js";
import { parseMessage } from "../../electron/engine/mime/tree.js";
import { startDns, type TestDns } from "../harness/dns.js";
import { fixture, reportOf } from "../harness/fixtures.js";

const OWN: OwnFacts = { domains: ["example.test"], providerDomains: [], relayHosts: [], batvSigned: false };
const KEY = readFileSync(new URL("../fixtures/synthetic/evidence-dkim-key.txt", import.meta.url), "utf8").trim();
let dns: TestDns;

beforeAll(async () => {
  dns = await startDns({
    txt: [
      ["example.test", "v=spf1 ip4:192.0.2.0/24 -all"],
      ["sel2026._domainkey.example.test", KEY],
      ["revoked.test", "v=spf1 -all"],
    ],
    a: [
      ["mx.bounce.test", "203.0.113.9"],
      ["mx.remote.test", "203.0.113.10"],
      ["9.113.0.203.ips.backscatterer.org", "127.0.0.2"],
    ],
  });
}, 30_000);
afterAll(async () => {
  await dns?.stop();
});

/** The whole attached original (part 3) of a fixture, as the scanner fetches BODY[3]. */
function attachedOriginal(name: string): Buffer {
  const root = parseMessage(fixture(name).toString("latin1")).root;
  const part = root.children.find((c) => c.part === "3");
  const header = part?.message?.header ?? "";
  const raw = fixture(name).toString("latin1");
  const start = raw.indexOf(header.slice(0, 40));
  const end = raw.lastIndexOf("\r\n\r\n--=_ev--");
  return Buffer.from(raw.slice(start, end + 2), "latin1");
}

describe("the resolver", () => {
  it("answers from the server it is pointed at, tells a negative answer from no answer, and caches answers", async () => {
    const r = createDns({ server: dns.server, timeoutMs: 1000 });
    expect(await r.resolve("example.test", "TXT")).toEqual([["v=spf1 ip4:192.0.2.0/24 -all"]]);
    const missing = await r.resolve("nothing.example.test", "TXT").catch((e: unknown) => e);
    expect(isNegative(missing)).toBe(true);
    // Cached: the same question is answered with the server gone.
    const other = await startDns({ a: [["cached.test", "192.0.2.99"]] });
    const c = createDns({ server: other.server, timeoutMs: 300 });
    expect(await c.resolve("cached.test", "A")).toEqual(["192.0.2.99"]);
    await other.stop();
    expect(await c.resolve("CACHED.test.", "A")).toEqual(["192.0.2.99"]);
  });

  it("with nobody answering: one timeout, then 'no network' at once for a while; off asks nobody", async () => {
    // A loopback port with nothing serving DNS on it (a TCP listener keeps it ours; UDP goes unanswered).
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as { port: number }).port;
    const dead = createDns({ server: `127.0.0.1:${port}`, timeoutMs: 300 });
    const first = await dead.resolve("example.test", "TXT").catch((e: unknown) => e);
    expect(isNegative(first)).toBe(false);
    const t0 = Date.now();
    const second = await dead.resolve("other.test", "A").catch((e: unknown) => e);
    expect(isNegative(second)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(100);
    holder.close();
    const off = createDns({ server: "off" });
    expect(off.server).toMatch(/off/);
    expect(isNegative(await off.resolve("example.test", "TXT").catch((e: unknown) => e))).toBe(false);
    expect(dnsFromEnv({ BSS_DNS: " 127.0.0.1:5353 " })).toBe("127.0.0.1:5353");
    expect(dnsFromEnv({})).toBeNull();
    expect(() => createDns({ server: "not a server!" })).toThrow(/HOST:PORT/);
  });
});

describe("network evidence", () => {
  it("SPF: the forged original's handoff IP fails example.test's -all record; an IP it names passes", async () => {
    const r = createDns({ server: dns.server });
    const report = reportOf("synthetic/evidence-spf-fail.eml");
    const net = await askNetwork(questionsFor(report, OWN), r, OWN.domains, null);
    expect(net.spf).toEqual({ ip: "203.0.113.66", domain: "example.test", result: "fail" });
    const allowed = await askNetwork(
      { spf: { ip: "192.0.2.10", domain: "example.test", helo: "smtp.example.test" }, dkimPart: null, reporter: null },
      r,
      OWN.domains,
      null,
    );
    expect(allowed.spf?.result).toBe("pass");
  });

  it("DKIM: the user's signature on the whole attached original verifies against the published key; with the key revoked it does not", async () => {
    const report = reportOf("synthetic/evidence-own-dkim.eml");
    const q = questionsFor(report, OWN);
    const original = attachedOriginal("synthetic/evidence-own-dkim.eml");
    const pass = await askNetwork(q, createDns({ server: dns.server }), OWN.domains, original);
    expect(pass.dkim).toEqual([{ domain: "example.test", selector: "sel2026", result: "pass" }]);
    const revoked = await startDns({ txt: [["sel2026._domainkey.example.test", "v=DKIM1; k=rsa; p="]] });
    const r = await askNetwork(q, createDns({ server: revoked.server }), OWN.domains, original);
    await revoked.stop();
    expect(r.dkim?.[0]?.result).not.toBe("pass");
    // A changed body no longer verifies (mailauth says "neutral" when the body hash does not match).
    const tampered = Buffer.from(original.toString("latin1").replace("Buy cheap watches now.", "Buy cheap watches today."), "latin1");
    expect(["fail", "neutral"]).toContain((await askNetwork(q, createDns({ server: dns.server }), OWN.domains, tampered)).dkim?.[0]?.result);
  });

  it("Backscatterer.org: the reporting server's address listed, another not", async () => {
    const r = createDns({ server: dns.server });
    const listed = await askNetwork(questionsFor(reportOf("synthetic/evidence-backscatterer-listed.eml"), OWN), r, OWN.domains, null);
    expect(listed.backscatterer).toEqual({ host: "mx.bounce.test", ip: "203.0.113.9", listed: true });
    const clean = await askNetwork(questionsFor(reportOf("synthetic/evidence-spf-fail.eml"), OWN), r, OWN.domains, null);
    expect(clean.backscatterer).toEqual({ host: "mx.remote.test", ip: "203.0.113.10", listed: false });
  });

  it("no network: every question comes back 'no-network', nothing throws", async () => {
    const off = createDns({ server: "off" });
    const report = reportOf("synthetic/evidence-own-dkim.eml");
    const net = await askNetwork(
      { ...questionsFor(report, OWN), spf: { ip: "203.0.113.66", domain: "example.test", helo: null } },
      off,
      OWN.domains,
      attachedOriginal("synthetic/evidence-own-dkim.eml"),
    );
    expect(net.spf?.result).toBe("no-network");
    expect(net.dkim).toEqual([{ domain: "example.test", selector: "sel2026", result: "no-network" }]);
    expect(net.backscatterer?.listed).toBe("no-network");
  });
});
