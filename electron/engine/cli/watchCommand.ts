/**
 * `watch [ACCOUNT] [--apply] [--json]`: sweeps new mail as it arrives until Ctrl-C or SIGTERM,
 * then exits 0 once the sweep in hand is done. One line per swept or flagged message on stdout
 * (JSON with --json); notices, floods and the misuse alarm on stderr.
 */
import type { Item } from "../../../shared/model.js";
import { watchAccount, type Sweep } from "../watch/watcher.js";
import type { Args } from "./args.js";
import { alarmText, open, resolveAccount } from "./engineCommands.js";
import type { CommandIo } from "./io.js";

/** The line of one message of a sweep, as the interface promises it. */
export function watchJson(item: Item, at: number): string {
  const { folder, uid, destUid, messageId, verdict } = item;
  const moved = item.state === "moved";
  return JSON.stringify({ folder, uid, destUid, messageId, verdict, moved, at: new Date(at).toISOString() });
}

function watchText(item: Item, at: number): string {
  const when = new Date(at).toTimeString().slice(0, 8);
  const where = `${item.folder}:${item.uid}`;
  if (item.state === "moved") return `${when} moved ${where} to ${item.destFolder ?? "?"} (${item.verdict}): ${item.reason}`;
  return `${when} ${item.verdict === "backscatter" ? "would move" : "to review"} ${where} (${item.verdict}): ${item.reason}`;
}

export async function watchCommand(args: Args, io: CommandIo, stop: Promise<void>): Promise<number> {
  const s = open(args, io, { quiet: true });
  const controller = new AbortController();
  void stop.then(() => controller.abort());
  try {
    const accountId = await resolveAccount(s, args, io);
    const account = s.engine.store.account(accountId);
    if (!account) throw new Error(`There is no account ${accountId}.`);
    const json = args.options.has("json");
    const apply = args.options.has("apply");
    io.stderr(
      `Watching ${account.user}'s ${account.scanFolders[0] ?? "INBOX"} for new mail (Ctrl-C stops).${apply ? " Backscatter is moved as it arrives." : " Nothing is moved: add --apply to move backscatter as it arrives."}\n`,
    );
    const report = ({ at, items, summary }: Sweep): void => {
      for (const item of items) io.stdout((json ? watchJson(item, at) : watchText(item, at)) + "\n");
      for (const line of [...summary.warnings, ...summary.errors.map((e) => `${e.folder}:${e.uid}: ${e.error}`)]) io.stderr(`${line}\n`);
      if (summary.alarm && summary.counts["account-misuse"] > 0) io.stderr(alarmText(summary.alarm));
    };
    await watchAccount({
      account,
      scan: (a) => s.engine.scan(a),
      connect: (id) => s.engine.connect(id),
      moves: apply ? "all" : "none",
      signal: controller.signal,
      onSweep: report,
      onNotice: (text) => io.stderr(`${text}\n`),
      onFlood: (change) => io.stderr(`${change.text}\n`),
    });
    io.stderr("Stopped watching.\n");
    return 0;
  } finally {
    s.close();
  }
}
