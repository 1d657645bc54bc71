/** Discovery's real network: HTTP(S) GETs with a short timeout and a size cap, and the system's MX look-up. */
import { resolveMx } from "node:dns/promises";
import type { DiscoveryDeps } from "./discover.js";

const TIMEOUT_MS = 5_000;
const MAX_BYTES = 256 * 1024;

export const networkDiscovery: DiscoveryDeps = {
  async get(url) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "follow" });
      if (!r.ok) return null;
      const text = await r.text();
      return text.length > MAX_BYTES ? null : text;
    } catch {
      return null;
    }
  },
  async mx(domain) {
    const records = await resolveMx(domain);
    return records.sort((a, b) => a.priority - b.priority).map((r) => r.exchange);
  },
};

/** No network at all: discovery then knows only the bundled presets. */
export const presetsOnly: DiscoveryDeps = { get: async () => null, mx: async () => [] };
