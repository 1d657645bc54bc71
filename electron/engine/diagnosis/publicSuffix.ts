/**
 * Organisational domains by the public suffix list (tldts). The list is loaded on first use, not
 * with the engine: a scan with no candidate to diagnose never needs it.
 */
import { createRequire } from "node:module";
import type * as Tldts from "tldts";

let getDomain: typeof Tldts.getDomain | null = null;

/** The organisational domain of a host ("mail.example.co.uk" → "example.co.uk"), or null for an IP or a bare name. */
export function orgDomain(host: string | null): string | null {
  if (!host) return null;
  getDomain ??= (createRequire(import.meta.url)("tldts") as typeof Tldts).getDomain;
  return getDomain(host, { allowPrivateDomains: false });
}
