/**
 * The account handlers: sign-in, discovery, adding, changing and removing an account (its secret
 * with it), the connection test, and the account's status. The secret never lands in the store.
 */
import type { AccountStatus, ConnectionTest, CoreApi } from "../../shared/api.js";
import { misuseAlarm } from "../../shared/misuse.js";
import { dailyBudgetMbOf } from "../../shared/providers.js";
import type { Account, VerdictKind } from "../../shared/model.js";
import { discover, type DiscoveryDeps } from "./discovery/discover.js";
import { networkDiscovery, presetsOnly } from "./discovery/network.js";
import { dayOf } from "./budget.js";
import { describeImapError } from "./imap/errors.js";
import { createPendingSignIns } from "./oauth/pending.js";
import type { OperationRunner } from "./operations.js";
import type { StorePort } from "./ports.js";
import { accountSecretKey, type SecretStore } from "./secrets.js";
import { sentFoldersOf } from "./sentIndexer.js";

type AccountHandlers = Pick<
  CoreApi,
  "signInStart" | "signInFinish" | "discover" | "accountAdd" | "accountList" | "accountUpdate" | "accountRemove" | "accountTest" | "status"
>;

export interface AccountDeps {
  store: StorePort;
  secrets: SecretStore;
  withSession: OperationRunner["withSession"];
  env: Record<string, string | undefined>;
  discovery?: DiscoveryDeps | undefined;
  now: () => number;
}

/** The account, or an error in words when there is none with that id. */
export function accountOf(store: StorePort, accountId: number): Account {
  const account = store.account(accountId);
  if (!account) throw new Error(`There is no account ${accountId}.`);
  return account;
}

export function accountHandlers({ store, secrets, withSession, env, discovery, now }: AccountDeps): AccountHandlers {
  const signIns = createPendingSignIns(
    { accountList: async () => store.accounts(), accountAdd: (a) => handlers.accountAdd(a), accountUpdate: (a) => handlers.accountUpdate(a) },
    env,
    globalThis.fetch,
  );
  const handlers: AccountHandlers = {
    signInStart: (args) => signIns.start(args),
    signInFinish: (args) => signIns.finish(args),
    // BSS_DISCOVERY=presets: only the bundled list, no network (tests, and users who want no look-ups).
    discover: ({ email }) => discover(email, discovery ?? (env["BSS_DISCOVERY"] === "presets" ? presetsOnly : networkDiscovery)),
    async accountAdd({ account, secret }) {
      const created = store.addAccount(account);
      if (secret !== undefined) await secrets.set(accountSecretKey(created.id), secret);
      return created;
    },
    accountList: async () => store.accounts(),
    async accountUpdate({ accountId, changes, secret }) {
      const updated = store.updateAccount(accountId, changes);
      if (!updated) throw new Error(`There is no account ${accountId}.`);
      if (secret !== undefined) await secrets.set(accountSecretKey(accountId), secret);
      return updated;
    },
    async accountRemove({ accountId }) {
      store.removeAccount(accountId);
      await secrets.delete(accountSecretKey(accountId));
    },
    async accountTest({ accountId }): Promise<ConnectionTest> {
      const account = accountOf(store, accountId);
      try {
        return await withSession(accountId, async (ctx) => ({
          ok: true,
          message: `Connected to ${account.host} as ${account.user}.`,
          capabilities: ["MOVE", "UIDPLUS", "CONDSTORE", "SPECIAL-USE"].filter((c) => ctx.session.has(c)),
          sentFolders: await sentFoldersOf(ctx),
        }));
      } catch (error) {
        const e = describeImapError(error, account);
        const out: ConnectionTest = { ok: false, message: e.message, kind: e.kind };
        if (e.fingerprint) out.fingerprint = e.fingerprint;
        return out;
      }
    },
    async status({ accountId }): Promise<AccountStatus> {
      const account = accountOf(store, accountId);
      const counts: Partial<Record<VerdictKind, number>> = {};
      let moved = 0;
      let toReview = 0;
      for (const { verdict, state, n } of store.itemCounts(accountId)) {
        counts[verdict] = (counts[verdict] ?? 0) + n;
        if (state === "moved") moved += n;
        if (state === "flagged" && verdict !== "legit") toReview += n;
      }
      const misuse = misuseAlarm(store.itemsWith(accountId, "account-misuse", "flagged"), account.host);
      return {
        account,
        sentIndexed: store.sentCount(accountId),
        counts,
        moved,
        toReview,
        misuse,
        downloadedToday: store.bytesOn(accountId, dayOf(now())),
        dailyBudgetMb: dailyBudgetMbOf(account),
      };
    },
  };
  return handlers;
}
