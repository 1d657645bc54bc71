/** The account rows: connection settings, folders, and the background settings (schedule, automatic moves, watching, clean-up). */
import type { Account, AccountInput, OAuthSettings } from "../../../shared/model.js";
import type { Db } from "./open.js";

interface AccountRecord {
  id: number;
  name: string;
  host: string;
  port: number;
  security: Account["security"];
  user: string;
  pinned_fingerprint: string | null;
  sent_folders: string;
  scan_folders: string;
  destination: string;
  trusted_id_patterns: string;
  schedule_minutes: number | null;
  auto_move: Account["autoMove"];
  watch: number;
  daily_budget_mb: number | null;
  cleanup_days: number | null;
  oauth: string | null;
}

const toAccount = (r: AccountRecord): Account => ({
  id: r.id,
  name: r.name,
  host: r.host,
  port: r.port,
  security: r.security,
  user: r.user,
  pinnedFingerprint: r.pinned_fingerprint,
  sentFolders: JSON.parse(r.sent_folders) as string[],
  scanFolders: JSON.parse(r.scan_folders) as string[],
  destination: r.destination,
  trustedIdPatterns: JSON.parse(r.trusted_id_patterns) as string[],
  scheduleMinutes: r.schedule_minutes,
  autoMove: r.auto_move,
  watch: r.watch === 1,
  dailyBudgetMb: r.daily_budget_mb,
  cleanupDays: r.cleanup_days,
  oauth: r.oauth ? (JSON.parse(r.oauth) as OAuthSettings) : null,
});

/** The row's parameters for an account as stored. */
const params = (a: Account | (AccountInput & { name: string })) => ({
  name: a.name,
  host: a.host,
  port: a.port,
  security: a.security,
  user: a.user,
  pinned: a.pinnedFingerprint ?? null,
  sent: JSON.stringify(a.sentFolders ?? []),
  scan: JSON.stringify(a.scanFolders ?? ["INBOX"]),
  destination: a.destination ?? "Backscatter",
  trusted: JSON.stringify(a.trustedIdPatterns ?? []),
  schedule: a.scheduleMinutes ?? null,
  autoMove: a.autoMove ?? "off",
  watch: a.watch === false ? 0 : 1,
  budget: a.dailyBudgetMb ?? null,
  cleanup: a.cleanupDays ?? null,
  oauth: a.oauth ? JSON.stringify(a.oauth) : null,
});

export function createAccounts(db: Db, now: () => number) {
  const q = {
    insert: db.prepare(`INSERT INTO account (name, host, port, security, user, pinned_fingerprint, sent_folders, scan_folders, destination, trusted_id_patterns,
        schedule_minutes, auto_move, watch, daily_budget_mb, cleanup_days, oauth, created_at)
      VALUES (@name, @host, @port, @security, @user, @pinned, @sent, @scan, @destination, @trusted, @schedule, @autoMove, @watch, @budget, @cleanup, @oauth, @now)`),
    all: db.prepare<[], AccountRecord>("SELECT * FROM account ORDER BY id"),
    one: db.prepare<[number], AccountRecord>("SELECT * FROM account WHERE id = ?"),
    remove: db.prepare<[number]>("DELETE FROM account WHERE id = ?"),
    update: db.prepare(`UPDATE account SET name = @name, host = @host, port = @port, security = @security, user = @user, pinned_fingerprint = @pinned,
        sent_folders = @sent, scan_folders = @scan, destination = @destination, trusted_id_patterns = @trusted,
        schedule_minutes = @schedule, auto_move = @autoMove, watch = @watch, daily_budget_mb = @budget, cleanup_days = @cleanup, oauth = @oauth
      WHERE id = @id`),
  };
  return {
    addAccount(input: AccountInput): Account {
      const info = q.insert.run({ ...params({ ...input, name: input.name ?? input.user }), now: now() });
      return toAccount(q.one.get(Number(info.lastInsertRowid)) as AccountRecord);
    },
    accounts: (): Account[] => q.all.all().map(toAccount),
    account(id: number): Account | null {
      const r = q.one.get(id);
      return r ? toAccount(r) : null;
    },
    removeAccount: (id: number): void => void q.remove.run(id),
    /** Applies `changes` over the stored account; what is not named stays. */
    updateAccount(id: number, changes: Partial<AccountInput>): Account | null {
      const r = q.one.get(id);
      if (!r) return null;
      q.update.run({ id, ...params({ ...toAccount(r), ...changes }) });
      return toAccount(q.one.get(id) as AccountRecord);
    },
  };
}
