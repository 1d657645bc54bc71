/**
 * The commands that work on accounts: account add|list|remove|test, index, scan, review, move,
 * undo, status. Each opens the profile, runs one engine call and prints the result.
 */
import { readFile } from "node:fs/promises";
import type { ConnectionTest } from "../../../shared/api.js";
import type { AccountInput, Item, ScanSummary } from "../../../shared/model.js";
import type { MisuseAlarm } from "../../../shared/model.js";
import { openDatabase } from "../db/open.js";
import { createEngine, type Engine } from "../index.js";
import { accountSecretKey, memorySecrets, type SecretStore } from "../secrets.js";
import { stringOption, UsageError, type Args } from "./args.js";
import type { CommandIo } from "./io.js";
import { accountFromUrl, dbPath, passwordFrom, secretsFor } from "./profile.js";
import { addOAuthAccount } from "./oauthCommand.js";
import { campaignsCommand, doctorCommand } from "./doctorCommand.js";
import { progressPrinter } from "./progress.js";

/** In-memory secrets first (a password given for this run only), then the profile's file. */
function layered(first: SecretStore, second: SecretStore): SecretStore {
  return {
    get: async (key) => (await first.get(key)) ?? second.get(key),
    set: (key, secret) => second.set(key, secret),
    delete: async (key) => {
      await first.delete(key);
      await second.delete(key);
    },
  };
}

export interface Session {
  engine: Engine;
  oneOff: SecretStore;
  close(): void;
}

/** The profile's engine for one command; progress on stderr unless `quiet`. */
export function open(args: Args, io: CommandIo, { quiet = false }: { quiet?: boolean } = {}): Session {
  const path = dbPath(args, io);
  const db = openDatabase(path);
  const oneOff = memorySecrets();
  const tty = process.stderr.isTTY === true && !args.options.has("json");
  const print = progressPrinter(io.stderr, tty);
  const dns = stringOption(args, "dns");
  const engine = createEngine({
    db,
    secrets: layered(oneOff, secretsFor(path)),
    emit: (_e, p) => (quiet ? undefined : print(p)),
    ...(dns ? { env: { ...process.env, BSS_DNS: dns } } : {}),
  });
  return { engine, oneOff, close: () => db.close() };
}

/** The account a command is about: `--account EMAIL|ID`, an inline imap:// URL, or the only one. */
export async function resolveAccount(s: Session, args: Args, io: CommandIo): Promise<number> {
  const url = args.positional.find((p) => /^imaps?:\/\//i.test(p));
  const accounts = await s.engine.accountList({});
  if (url) {
    const input = accountFromUrl(url);
    const found = accounts.find((a) => a.user === input.user && a.host === input.host && a.port === input.port);
    const account = found ?? (await s.engine.accountAdd({ account: input }));
    const password = await passwordFrom(args, io, (p) => readFile(p, "utf8"));
    if (password !== null) await s.oneOff.set(accountSecretKey(account.id), password);
    return account.id;
  }
  const wanted = stringOption(args, "account");
  if (wanted) {
    const match = accounts.find((a) => String(a.id) === wanted || a.user === wanted || a.name === wanted);
    if (!match) throw new UsageError(`no account "${wanted}" (see: account list)`);
    return match.id;
  }
  if (accounts.length === 1 && accounts[0]) return accounts[0].id;
  throw new UsageError(accounts.length === 0 ? "no account yet: account add imap://USER@HOST:PORT" : "several accounts: say which with --account");
}

function itemLine(i: Item): string {
  const who = i.recipients[0] ?? "?";
  return `#${i.id} ${i.verdict}/${i.confidence} ${i.state} ${i.folder}:${i.uid} ${i.kind} to ${who} — ${i.reason}`;
}

export function scanJson(s: ScanSummary): unknown {
  return {
    runId: s.runId,
    scanned: s.scanned,
    candidates: s.candidates,
    counts: s.counts,
    moved: s.moved,
    bytesFetched: s.bytesFetched,
    unchangedFolders: s.unchangedFolders,
    warnings: s.warnings,
    errors: s.errors,
    alarm: s.alarm,
    flagged: s.flagged.map((f) => ({
      folder: f.folder,
      uid: f.uid,
      destUid: f.destUid,
      messageId: f.messageId,
      verdict: f.verdict,
      confidence: f.confidence,
      reason: f.reason,
      evidence: f.evidence,
      originalMessageIds: f.originalMessageIds,
      recipients: f.recipients,
    })),
  };
}

function scanText(s: ScanSummary): string {
  const c = s.counts;
  const lines = [
    `Scanned ${s.scanned} messages (${s.candidates} looked automated): ${c.backscatter} backscatter, ${c["account-misuse"] > 0 ? `${c["account-misuse"]} sent through your own account, ` : ""}${c.legit} real replies to your mail, ${c.unverifiable} to review, ${c.complaint} complaints.`,
    s.moved > 0
      ? `Moved ${s.moved} to the backscatter folder.`
      : c.backscatter > 0
        ? "Nothing was moved (dry run). Run again with --apply to move the backscatter."
        : "Nothing to move.",
    ...s.warnings,
    ...s.errors.map((e) => `${e.folder}:${e.uid}: ${e.error}`),
  ];
  return lines.join("\n") + "\n";
}

/** The alarm for a terminal: what was found, then what to do. */
export function alarmText(a: MisuseAlarm): string {
  return (
    [`WARNING: ${a.text}`, "What to do now:", ...a.checklist.map((c, i) => `  ${i + 1}. ${c}`), ...a.links.map((l) => `  ${l.label}: ${l.url}`)].join("\n") +
    "\n"
  );
}

const list = (value: string | null): string[] | undefined =>
  value === null
    ? undefined
    : value
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean);

/** Account settings given as options: --pin, --sent, --scan, --destination, --trusted-ids, --budget. */
function settingsFrom(args: Args): Partial<AccountInput> {
  const out: Partial<AccountInput> = {};
  const pin = stringOption(args, "pin");
  if (pin !== null) out.pinnedFingerprint = pin === "none" ? null : pin;
  const sent = list(stringOption(args, "sent"));
  if (sent) out.sentFolders = sent;
  const scan = list(stringOption(args, "scan"));
  if (scan) out.scanFolders = scan;
  const destination = stringOption(args, "destination");
  if (destination) out.destination = destination;
  const trusted = list(stringOption(args, "trusted-ids"));
  if (trusted) out.trustedIdPatterns = trusted;
  const budget = stringOption(args, "budget");
  if (budget !== null) {
    if (budget !== "default" && !(Number.isInteger(Number(budget)) && Number(budget) > 0))
      throw new UsageError(`--budget takes megabytes a day, or "default", not ${budget}`);
    out.dailyBudgetMb = budget === "default" ? null : Number(budget);
  }
  return out;
}

function testText(r: ConnectionTest): string {
  const lines = [r.message];
  if (r.ok && r.sentFolders) lines.push(`Sent folders: ${r.sentFolders.join(", ") || "none found (name them with account set --sent)"}`);
  if (r.fingerprint) {
    lines.push(`Certificate fingerprint (SHA-256): ${r.fingerprint}`);
    lines.push(`If this is your own server and it shows the same fingerprint, trust it with: account set --pin ${r.fingerprint}`);
  }
  return lines.join("\n") + "\n";
}

export async function engineCommand(command: string, args: Args, io: CommandIo): Promise<number> {
  const s = open(args, io);
  try {
    const json = args.options.has("json");
    const out = (value: unknown, text: string): void => io.stdout(json ? JSON.stringify(value) + "\n" : text);
    const sub = command === "account" ? args.positional.shift() : undefined;
    // A domain alone needs no account: only DNS is asked.
    if (command === "doctor" && args.positional[0] && !args.options.has("account"))
      return await doctorCommand(s.engine, { domain: args.positional[0] }, json, io);
    if (command === "account" && sub === "add" && args.options.has("oauth")) return await addOAuthAccount(s.engine, args, io, out);
    if (command === "account" && sub === "add") {
      const url = args.positional[0];
      if (!url) throw new UsageError("account add EMAIL | imap://USER@HOST:PORT [--password-env VAR | --password-file FILE]");
      // An address alone: find its settings, and ask only for what was not found.
      const found = /^imaps?:\/\//i.test(url) ? null : await s.engine.discover({ email: url });
      if (!/^imaps?:\/\//i.test(url) && !found)
        throw new UsageError(`no settings were found for ${url}: give them as imap://USER@HOST:PORT (or imaps:// for TLS)`);
      if (found)
        io.stderr(
          `${found.host}:${found.port} (${found.security}), from ${found.source === "preset" ? "the app's list of providers" : found.source === "mx" ? "the domain's MX records" : "the domain's autoconfig file"}. ${found.note}\n`,
        );
      if (found?.signIn === "oauth" && found.oauth) {
        args.options.set("oauth", found.oauth);
        if (!args.options.has("imap")) args.options.set("imap", `${found.security === "tls" ? "imaps" : "imap"}://${found.host}:${found.port}`);
        return await addOAuthAccount(s.engine, args, io, out);
      }
      if (found?.confirm && !args.options.has("yes"))
        throw new UsageError(`these settings came over plain http; check them, then run again with --yes (or give imap://USER@HOST:PORT)`);
      const input = {
        ...(found ? { host: found.host, port: found.port, security: found.security, user: found.user } : accountFromUrl(url)),
        ...settingsFrom(args),
      };
      const password = await passwordFrom(args, io, (p) => readFile(p, "utf8"));
      if (password === null) throw new UsageError("give the password with --password-env VAR or --password-file FILE (or run on a terminal to be asked)");
      const account = await s.engine.accountAdd({ account: input, secret: password });
      out(account, `Added account #${account.id} ${account.user} at ${account.host}:${account.port}.\n`);
      return 0;
    }
    if (command === "account" && sub === "list") {
      const accounts = await s.engine.accountList({});
      out(accounts, accounts.map((a) => `#${a.id} ${a.user} ${a.security}://${a.host}:${a.port} → ${a.destination}\n`).join("") || "No accounts.\n");
      return 0;
    }
    const accountId = await resolveAccount(s, args, io);
    switch (sub ?? command) {
      case "remove":
        await s.engine.accountRemove({ accountId });
        out({ removed: accountId }, `Removed account #${accountId}.\n`);
        return 0;
      case "test": {
        const r = await s.engine.accountTest({ accountId });
        out(r, testText(r));
        return r.ok ? 0 : 1;
      }
      case "set": {
        const changes = settingsFrom(args);
        if (Object.keys(changes).length === 0)
          throw new UsageError(
            "account set [--pin FINGERPRINT|none] [--sent A,B] [--scan INBOX,Junk] [--destination NAME] [--trusted-ids PATTERNS] [--budget MB|default]",
          );
        const a = await s.engine.accountUpdate({ accountId, changes });
        out(
          a,
          `Updated account #${a.id} ${a.user}: sent ${a.sentFolders.join(", ") || "(found automatically)"}; scans ${a.scanFolders.join(", ")}; moves to ${a.destination}${a.pinnedFingerprint ? `; trusts the certificate ${a.pinnedFingerprint}` : ""}.\n`,
        );
        return 0;
      }
      case "keep": {
        const id = Number(args.positional[0]);
        const rule = stringOption(args, "rule");
        if (!Number.isInteger(id) || (rule !== null && rule !== "recipient" && rule !== "domain"))
          throw new UsageError("keep ITEM_ID [--rule recipient|domain]");
        const item = await s.engine.keep(rule ? { itemId: id, rule } : { itemId: id });
        out(item, `Kept #${item.id}: it will not be flagged again${rule ? `, nor anything to the same ${rule}` : ""}.\n`);
        return 0;
      }
      case "index": {
        const r = await s.engine.index({ accountId });
        out(r, `Indexed ${r.added} new sent messages from ${r.folders.join(", ") || "no folder"}; ${r.total} in all.\n${r.warnings.join("\n")}`);
        return 0;
      }
      case "doctor":
        return await doctorCommand(s.engine, { accountId }, json, io);
      case "campaigns":
        return await campaignsCommand(s.engine, accountId, json, io);
      case "scan": {
        const r = await s.engine.scan({ accountId, apply: args.options.has("apply"), listFlagged: json });
        if (r.alarm) io.stderr(alarmText(r.alarm));
        io.stdout(json ? JSON.stringify(scanJson(r)) + "\n" : scanText(r));
        return 0;
      }
      case "review": {
        const items = (await s.engine.review({ accountId })).filter((i) => i.state === "flagged" || args.options.has("all"));
        out(items, items.map(itemLine).join("\n") + (items.length ? "\n" : "Nothing to review.\n"));
        return 0;
      }
      case "move": {
        const ids = stringOption(args, "ids")?.split(",").map(Number);
        const r = await s.engine.move(ids ? { accountId, itemIds: ids } : { accountId });
        out(r, `Moved ${r.moved}.\n${[...r.warnings, ...r.failed.map((f) => `${f.folder}:${f.uid}: ${f.error}`)].join("\n")}`);
        return r.failed.length > 0 ? 1 : 0;
      }
      case "undo": {
        const ids = stringOption(args, "ids")?.split(",").map(Number);
        const run = stringOption(args, "run");
        const r = await s.engine.undo(
          ids ? { accountId, itemIds: ids } : run ? { accountId, runId: Number(run) } : args.options.has("all") ? { accountId, all: true } : { accountId },
        );
        out(r, `Restored ${r.restored}.\n${[...r.warnings, ...r.failed.map((f) => `${f.folder}:${f.uid}: ${f.error}`)].join("\n")}`);
        return r.failed.length > 0 ? 1 : 0;
      }
      case "status": {
        const r = await s.engine.status({ accountId });
        const budget = r.dailyBudgetMb === null ? "" : ` of the day's ${r.dailyBudgetMb.toLocaleString("en")} MB`;
        out(
          r,
          `${r.account.user}: ${r.sentIndexed} sent messages indexed; ${r.moved} moved; ${r.toReview} to review; ${(r.downloadedToday / 1e6).toFixed(1)} MB downloaded today${budget}.\n`,
        );
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${[command, sub].filter(Boolean).join(" ")}"`);
    }
  } finally {
    s.close();
  }
}
