/**
 * A DNS server for tests: Debian's dnsmasq on a free loopback port, answering only the records a
 * test gives it (no upstream, no /etc/hosts); names under its local zones that it does not know
 * get NXDOMAIN. Stopped by its PID. Tests never ask the internet.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { Resolver } from "node:dns/promises";

export interface DnsZone {
  /** TXT records: name → strings (a long value split into several strings, as DKIM keys are). */
  txt?: [string, ...string[]][];
  /** A records: name → IPv4. */
  a?: [string, string][];
  /** MX records: name, exchange, preference. */
  mx?: [string, string, number][];
  /** Zones answered authoritatively: unknown names in them get NXDOMAIN, not REFUSED. */
  local?: string[];
}

export interface TestDns {
  /** "127.0.0.1:PORT", for BSS_DNS, --dns, or createDns. */
  server: string;
  stop(): Promise<void>;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** dnsmasq takes each string of a TXT record as one comma-separated field (given without a shell, quotes would stay in). */
const strings = (values: readonly string[]): string => {
  if (values.some((v) => v.includes(","))) throw new Error("a TXT string with a comma cannot be given to dnsmasq on its command line");
  return values.join(",");
};

/** Starts dnsmasq with `zone`; resolves once it answers. */
export async function startDns(zone: DnsZone): Promise<TestDns> {
  const port = await freeUdpPort();
  const args = [
    "--keep-in-foreground",
    "--conf-file=/dev/null",
    "--no-resolv",
    "--no-hosts",
    "--listen-address=127.0.0.1",
    "--bind-interfaces",
    `--port=${port}`,
    "--pid-file=",
    "--user=root",
    "--log-facility=-",
  ];
  for (const l of zone.local ?? ["test", "backscatterer.org"]) args.push(`--local=/${l}/`);
  for (const [name, ...values] of zone.txt ?? []) args.push(`--txt-record=${name},${strings(values)}`);
  for (const [name, ip] of zone.a ?? []) args.push(`--host-record=${name},${ip}`);
  for (const [name, exchange, pref] of zone.mx ?? []) args.push(`--mx-host=${name},${exchange},${pref}`);
  const child: ChildProcess = spawn("/usr/sbin/dnsmasq", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`dnsmasq did not start: ${stderr}`);
    try {
      await resolver.resolve("ready.invalid.test", "A");
      break;
    } catch (error) {
      // Any answer (no such name, refused) means it listens; only silence means it has not started yet.
      const code = (error as { code?: string }).code;
      if (code !== "ECONNREFUSED" && code !== "ETIMEOUT") break;
      if (i > 50) throw new Error(`dnsmasq does not answer on ${port}: ${stderr}`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    server: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
