/**
 * The one DNS resolver of the engine (SPF, DKIM keys, Backscatterer, the domain check): answers
 * cached, each query bounded by a timeout, and a server that cannot be reached turns the resolver
 * "offline" for a while, so a scan without network pays one timeout, not one per message.
 *
 * Where it asks: `BSS_DNS=HOST:PORT` (or the CLI's `--dns`), else the system's servers;
 * `BSS_DNS=off` asks nobody (every answer is "no network").
 */
import { Resolver } from "node:dns/promises";

/** Record types the engine asks for. */
export type RecordType = "A" | "AAAA" | "TXT" | "MX" | "PTR" | "CNAME" | "NS";

/** A resolver as mailauth expects one: node's `resolve` shape, with node's error codes. */
export type ResolveFn = (name: string, type: string) => Promise<never[]>;

export interface Dns {
  /** Node's `resolve(name, type)`: TXT gives string[][], MX {exchange, priority}[], the rest string[]. */
  resolve: ResolveFn;
  /** Where it asks, in words ("127.0.0.1:5353", "the system's DNS servers", "nobody (off)"). */
  readonly server: string;
}

export interface DnsOptions {
  /** "HOST:PORT" or "HOST", "off", or null for the system's servers. */
  server: string | null;
  timeoutMs?: number;
  /** How long an unreachable server is not asked again. */
  offlineMs?: number;
  now?: () => number;
}

/** Codes that say "this name has no such record": a real, negative answer. */
const NEGATIVE = new Set(["ENOTFOUND", "ENODATA", "NXDOMAIN"]);

/** An error with node's DNS code, as mailauth reads it. */
export class DnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** True when `error` is a negative answer (no such name or record), not a failure to ask. */
export function isNegative(error: unknown): boolean {
  return NEGATIVE.has((error as { code?: string } | null)?.code ?? "");
}

/** The server setting from the environment: `BSS_DNS`, or null for the system's servers. */
export function dnsFromEnv(env: Record<string, string | undefined>): string | null {
  const v = env["BSS_DNS"]?.trim();
  return v ? v : null;
}

/** "HOST:PORT" (IPv6 in brackets) as node's resolver takes it, or an error in words. */
function serverAddress(server: string): string {
  const m = /^(?:\[([0-9a-f:]+)\]|([a-z0-9.-]+))(?::(\d{1,5}))?$/i.exec(server);
  if (!m) throw new Error(`"${server}" is not a DNS server address; give HOST:PORT, e.g. 127.0.0.1:5353.`);
  const host = m[1] ?? m[2] ?? "";
  return m[1] ? `[${host}]:${m[3] ?? "53"}` : `${host}:${m[3] ?? "53"}`;
}

/** A resolver with a cache (an answer lives an hour; a failure to ask is not cached). */
export function createDns(options: DnsOptions): Dns {
  const now = options.now ?? Date.now;
  const off = options.server === "off";
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2000, tries: 1 });
  if (options.server && !off) resolver.setServers([serverAddress(options.server)]);
  const cache = new Map<string, { at: number; answer: Promise<never[]> }>();
  let offlineUntil = off ? Number.POSITIVE_INFINITY : 0;

  const ask = async (name: string, type: string): Promise<never[]> => {
    try {
      return (await resolver.resolve(name, type)) as never[];
    } catch (error) {
      const code = (error as { code?: string }).code ?? "EUNKNOWN";
      if (NEGATIVE.has(code)) throw new DnsError(code, `${name} has no ${type} record`);
      // Refused, timed out, unreachable: nobody answered. Do not ask again for a while.
      if (code === "ECONNREFUSED" || code === "ETIMEOUT" || code === "ECANCELLED") {
        offlineUntil = now() + (options.offlineMs ?? 60_000);
      }
      throw new DnsError(code, `no answer for ${name} ${type} (${code})`);
    }
  };

  return {
    server: off ? "nobody (DNS is off)" : (options.server ?? "the system's DNS servers"),
    resolve(name, type) {
      const key = `${type.toUpperCase()} ${name.toLowerCase().replace(/\.$/, "")}`;
      const hit = cache.get(key);
      if (hit && now() - hit.at < 3_600_000) return hit.answer;
      if (now() < offlineUntil) return Promise.reject(new DnsError("ECONNREFUSED", `no network: ${name} ${type} was not asked`));
      const answer = ask(name, type);
      cache.set(key, { at: now(), answer });
      // Only answers are kept; a failure to ask is asked again once the network is back.
      answer.catch((error: unknown) => {
        if (!isNegative(error)) cache.delete(key);
      });
      return answer;
    },
  };
}
