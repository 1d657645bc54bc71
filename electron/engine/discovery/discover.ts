/**
 * Settings from an email address, the way mail apps find them: a bundled preset for the domain;
 * then the domain's autoconfig file (autoconfig.<domain>/mail/config-v1.1.xml, then
 * <domain>/.well-known/autoconfig/mail/config-v1.1.xml; https first, plain http last, and what came
 * over plain http is marked for the user to confirm); then the MX records (Google or Microsoft MX
 * → that preset); else nothing, and the user enters the settings. Network and DNS come in as
 * functions so tests serve them from loopback.
 */
import type { Discovery } from "../../../shared/api.js";
import { domainOf, providerByDomain, providerByMx, type Provider } from "../../../shared/providers.js";
import { parseAutoconfig } from "./autoconfig.js";

export interface DiscoveryDeps {
  /** GET a URL; null when it cannot be fetched (no server, not 200, too slow). */
  get(url: string): Promise<string | null>;
  /** MX hosts of a domain, most preferred first; [] when there are none. */
  mx(domain: string): Promise<string[]>;
}

function fromPreset(p: Provider, email: string, source: Discovery["source"]): Discovery {
  return {
    host: p.host,
    port: p.port,
    security: p.security,
    user: email,
    signIn: p.signIn,
    ...(p.oauth ? { oauth: p.oauth } : {}),
    providerId: p.id,
    source,
    note: p.note,
    confirm: false,
  };
}

export async function discover(email: string, deps: DiscoveryDeps): Promise<Discovery | null> {
  const domain = domainOf(email);
  if (!domain) return null;
  const preset = providerByDomain(domain);
  if (preset) return fromPreset(preset, email, "preset");
  const paths = [
    `autoconfig.${domain}/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(email)}`,
    `${domain}/.well-known/autoconfig/mail/config-v1.1.xml`,
  ];
  for (const scheme of ["https", "http"] as const) {
    for (const path of paths) {
      const xml = await deps.get(`${scheme}://${path}`).catch(() => null);
      const server = xml ? parseAutoconfig(xml, email) : null;
      if (!server) continue;
      const insecure = scheme === "http";
      return {
        ...server,
        source: insecure ? "autoconfig-http" : "autoconfig",
        note: insecure
          ? `These settings came from ${domain} over plain http, which anyone on the way could have changed. Check them before you go on.`
          : `Settings published by ${domain}.`,
        confirm: insecure,
      };
    }
  }
  const hosted = providerByMx(await deps.mx(domain).catch(() => []));
  if (hosted) return { ...fromPreset(hosted, email, "mx"), note: `${domain}'s mail is handled by ${hosted.label}. ${hosted.note}` };
  return null;
}
