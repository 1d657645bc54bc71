/**
 * The domain check and the campaigns for an account (or one domain): what the user's own mail
 * showed (sending domains, selectors, outbound IPs) taken from the store, DNS asked at the edge.
 */
import type { Campaign, DomainCheck } from "../../../shared/doctor.js";
import type { Account } from "../../../shared/model.js";
import { campaignsOf } from "../campaigns.js";
import type { StorePort } from "../ports.js";
import type { Dns } from "../dns/resolver.js";
import { dkimTag } from "../bounce/trace.js";
import type { OperationContext } from "../context.js";
import { parseHeaderBlock } from "../mime/headers.js";
import { sentFoldersOf } from "../sentIndexer.js";
import { doctorDomain } from "./gather.js";

const domainOf = (address: string): string | null => (address.includes("@") ? (address.split("@").pop()?.toLowerCase() ?? null) : null);

/** The account's sending domains: its address's first, then those of the From of its sent mail. */
export function sendingDomains(account: Pick<Account, "user">, identities: readonly string[]): string[] {
  return [...new Set([account.user, ...identities].map(domainOf).filter((d): d is string => d !== null))];
}

/**
 * Checks `domain`, or every sending domain of `account`. What is known of the user's own mail
 * comes from the accounts that send from the domain.
 */
export async function doctorFor(store: StorePort, dns: Dns, account: Account | null, domain: string | null): Promise<DomainCheck[]> {
  const accounts = account ? [account] : store.accounts();
  const records = accounts.map((a) => ({ account: a, own: store.ownRecord(a.id) }));
  const domains = domain ? [domain.toLowerCase()] : account ? sendingDomains(account, records[0]?.own.identities ?? []) : [];
  return Promise.all(
    domains.map((d) => {
      const mine = records.filter((r) => sendingDomains(r.account, r.own.identities).includes(d));
      const selectors = [...new Set(mine.flatMap((r) => r.own.dkim.filter((t) => t.domain === d).map((t) => t.selector)))];
      const relayIps = [...new Set(mine.flatMap((r) => r.own.relayIps))];
      const reportTo = mine[0]?.account.user.includes("@") ? (mine[0]?.account.user ?? null) : null;
      return doctorDomain(d, dns, { selectors, relayIps, reportTo, ownMailSeen: mine.some((r) => r.own.relays.length > 0 || r.own.dkim.length > 0) });
    }),
  );
}

/** The newest sent messages of each sending folder whose DKIM-Signature is read: the selectors of mail the user sends now. */
const SENT_SAMPLE = 50;

/**
 * Reads the DKIM-Signature field of the newest sent messages and remembers their selectors (Sent
 * copies of mail signed on the way out carry it on some servers; others keep only the bounces').
 */
export async function learnSentSignatures(ctx: OperationContext): Promise<void> {
  for (const folder of await sentFoldersOf(ctx)) {
    const fields = await ctx.session.inFolder(
      folder,
      async (open) => {
        const uids = Array.from({ length: Math.min(SENT_SAMPLE, Math.max(0, open.uidNext - 1)) }, (_, i) => open.uidNext - 1 - i).filter((u) => u > 0);
        return uids.length > 0 ? [...(await ctx.session.headerFields(uids, ["dkim-signature"])).values()] : [];
      },
      { readOnly: true },
    );
    const dkim = fields.flatMap((raw) => parseHeaderBlock(raw.toString("latin1")).rawAll("dkim-signature").map(dkimTag)).filter((t) => t !== null);
    if (dkim.length > 0) ctx.store.learnOwn(ctx.account.id, { relays: [], relayIps: [], dkim, batv: false });
  }
}

/** The campaigns of an account's backscatter. */
export function campaignsFor(store: StorePort, accountId: number, now: number): Campaign[] {
  return campaignsOf(store.itemsWith(accountId, "backscatter", "flagged").concat(store.itemsWith(accountId, "backscatter", "moved")), now);
}
