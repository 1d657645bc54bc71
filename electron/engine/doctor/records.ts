/**
 * SPF and DMARC records read as RFC 7208 and RFC 7489 write them, and SPF's DNS look-ups counted
 * as RFC 7208 §4.6.4 counts them (include, a, mx, ptr, exists, redirect; void look-ups apart).
 * Pure: answers come from a {@link RecordMap} the edge fills (gather.ts).
 */

/** DNS answers by name: undefined not asked yet, null no such record (or name), "error" no answer. */
export interface RecordMap {
  txt(name: string): string[] | null | undefined | "error";
  mx(name: string): { exchange: string; priority: number }[] | null | undefined | "error";
}

export interface SpfTerm {
  qualifier: "+" | "-" | "~" | "?";
  mechanism: string;
  value: string | null;
}

export interface SpfRecord {
  terms: SpfTerm[];
  redirect: string | null;
  /** Syntax problems, in words. */
  errors: string[];
}

const MECHANISMS = new Set(["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"]);
const LOOKUP_MECHANISMS = new Set(["include", "a", "mx", "ptr", "exists"]);

/** The SPF records among a name's TXT strings (each TXT record's strings already joined). */
export function spfRecordsOf(txt: readonly string[]): string[] {
  return txt.filter((t) => /^v=spf1(?:\s|$)/i.test(t.trim()));
}

export function parseSpf(record: string): SpfRecord {
  const out: SpfRecord = { terms: [], redirect: null, errors: [] };
  for (const word of record.trim().split(/\s+/).slice(1)) {
    const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(word);
    if (modifier) {
      if (modifier[1]?.toLowerCase() === "redirect") out.redirect = (modifier[2] ?? "").toLowerCase();
      continue;
    }
    const m = /^([+\-~?]?)([a-z0-9]+)(?:[:/](.*))?$/i.exec(word);
    const mechanism = m?.[2]?.toLowerCase() ?? "";
    if (!m || !MECHANISMS.has(mechanism)) {
      out.errors.push(`"${word}" is not an SPF mechanism`);
      continue;
    }
    out.terms.push({ qualifier: (m[1] || "+") as SpfTerm["qualifier"], mechanism, value: m[3]?.toLowerCase() ?? null });
  }
  return out;
}

/** The `all` term of a record as written ("-all", "~all", "?all", "+all"), or null. */
export function allOf(record: SpfRecord): string | null {
  const all = record.terms.find((t) => t.mechanism === "all");
  return all ? `${all.qualifier}all` : null;
}

export interface SpfCount {
  lookups: number;
  voidLookups: number;
  /** Every domain reached by include: and redirect=, in order. */
  includes: string[];
  /** Names whose TXT is still to be asked before the count is complete. */
  needs: string[];
  errors: string[];
}

/** Counts the look-ups of `domain`'s SPF record through its includes and redirects, as far as `records` answer. */
export function countLookups(domain: string, records: RecordMap): SpfCount {
  const count: SpfCount = { lookups: 0, voidLookups: 0, includes: [], needs: [], errors: [] };
  const seen = new Set<string>();
  const visit = (name: string, depth: number): void => {
    if (seen.has(name) || depth > 10) return;
    seen.add(name);
    const txt = records.txt(name);
    if (txt === undefined) return void count.needs.push(name);
    if (txt === "error") return;
    const spf = spfRecordsOf(txt ?? []);
    if (spf.length === 0) {
      if (depth > 0) {
        count.voidLookups++;
        count.errors.push(`${name} (named by an include or redirect) has no SPF record`);
      }
      return;
    }
    const record = parseSpf(spf[0] ?? "");
    for (const t of record.terms) {
      if (!LOOKUP_MECHANISMS.has(t.mechanism)) continue;
      count.lookups++;
      if (t.mechanism === "include" && t.value) {
        count.includes.push(t.value);
        visit(t.value, depth + 1);
      }
    }
    if (record.redirect) {
      count.lookups++;
      count.includes.push(record.redirect);
      visit(record.redirect, depth + 1);
    }
  };
  visit(domain.toLowerCase(), 0);
  return count;
}

export interface DmarcRecord {
  policy: string | null;
  subdomainPolicy: string | null;
  pct: number | null;
  rua: string[];
  adkim: "r" | "s";
  aspf: "r" | "s";
}

/** The DMARC records among a `_dmarc` name's TXT strings. */
export function dmarcRecordsOf(txt: readonly string[]): string[] {
  return txt.filter((t) => /^v=DMARC1\s*(?:;|$)/i.test(t.trim()));
}

export function parseDmarc(record: string): DmarcRecord {
  const tags = new Map<string, string>();
  for (const part of record.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const pct = tags.get("pct");
  const align = (v: string | undefined): "r" | "s" => (v?.toLowerCase() === "s" ? "s" : "r");
  return {
    policy: tags.get("p")?.toLowerCase() ?? null,
    subdomainPolicy: tags.get("sp")?.toLowerCase() ?? null,
    pct: pct !== undefined && /^\d+$/.test(pct) ? Number(pct) : null,
    rua: (tags.get("rua") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    adkim: align(tags.get("adkim")),
    aspf: align(tags.get("aspf")),
  };
}

/** A DKIM key record's state: present with a key, revoked (`p=` empty), or not a key at all. */
export function dkimKeyState(txt: readonly string[]): "key" | "revoked" | "none" {
  const record = txt.find((t) => /(?:^|;)\s*p=/i.test(t));
  if (!record) return "none";
  return /(?:^|;)\s*p=\s*(?:;|$)/i.test(record) ? "revoked" : "key";
}
