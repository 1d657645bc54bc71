/**
 * The command-line host: `backscatter-sweeper <command> [options]`.
 * Exit codes: 0 ok, 1 error, 2 usage.
 */
import { describeImapError, ImapError } from "../imap/errors.js";
import { limitHeapGrowth } from "../host/heap.js";
import { DatabaseError } from "../db/open.js";
import { parseArgs, UsageError } from "./args.js";
import { dbCommand, rebuildHint } from "./dbCommand.js";
import { engineCommand } from "./engineCommands.js";
import { serveCommand } from "./serveCommand.js";
import { watchCommand } from "./watchCommand.js";
import { parseCommand } from "./parseCommand.js";
import { processIo, type CommandIo } from "./io.js";

const USAGE = `usage: backscatter-sweeper <command> [options]

commands:
  account add imap://USER@HOST:PORT   add an account (imaps:// for TLS; password from
        [--password-env VAR | --password-file FILE]   the environment, a file or a prompt)
  account add --oauth google|microsoft|ISSUER_URL [--client-id ID] EMAIL [--imap imaps://HOST:PORT]
                                     sign in in the browser (prints the address first); again to renew
  account list | remove | test       manage accounts (--account EMAIL|ID picks one)
  account set [--pin FINGERPRINT] [--sent A,B] [--scan INBOX,Junk] [--destination NAME]
        [--trusted-ids "*.sendgrid.net,news.example.org"] [--budget MB|default]
                                     change an account's settings (--budget: the most to
                                     download in a day; default 1,000 MB on Gmail, else none)
                                     (the same options work on account add)
  index                              bring the sent-mail index up to date
  scan [--apply] [--json]            find backscatter (a dry run unless --apply moves it)
  scan imap://USER@HOST:PORT --password-env VAR   the same for an account given inline
  watch [--apply] [--json]           sweep new mail as it arrives (IDLE) until Ctrl-C; one line
                                     per swept or flagged message (inline accounts as for scan)
  review [--all]                     list flagged messages with verdict and reason
  move [--ids 1,2]                   move backscatter (or the given items)
  undo [--run ID | --ids 1,2 | --all] put back what the last (or given) move run moved, or everything
  keep ID [--rule recipient|domain]  not backscatter: never flag it (or its recipient/domain) again
  status                             what is indexed, moved and waiting for review
  doctor [DOMAIN | --account EMAIL]  check a domain's SPF, DKIM, DMARC and MX, and what to change
  campaigns                          the spam runs behind the backscatter: counts, dates, rising or fading
  db rebuild                         start a fresh database when the old one is damaged or from a
                                     newer version (the old file is kept; accounts and moves carried over)
  serve [--host 127.0.0.1] [--port N]  the app in your browser; prints the address to open
  parse --json PATH...               read message files, directories or mboxes; one JSON line per message

options: --db PATH (default: $XDG_DATA_HOME/backscatter-sweeper/profile.sqlite), --json,
  --dns HOST:PORT (the DNS server for evidence; default $BSS_DNS, else the system's; "off": none)
exit codes: 0 ok, 1 error, 2 usage
`;

/** Resolves on Ctrl-C or SIGTERM. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "parse":
      return parseCommand(
        rest.filter((a) => a !== "--json"),
        io,
      );
    case "serve":
    case "account":
    case "index":
    case "scan":
    case "watch":
    case "review":
    case "move":
    case "undo":
    case "status":
    case "keep":
    case "doctor":
    case "campaigns":
    case "db":
      try {
        if (command === "serve") return await serveCommand(parseArgs(rest), io, untilInterrupted());
        if (command === "watch") return await watchCommand(parseArgs(rest), io, untilInterrupted());
        if (command === "db") return dbCommand(parseArgs(rest), io);
        return await engineCommand(command, parseArgs(rest), io);
      } catch (error) {
        if (error instanceof UsageError) {
          io.stderr(`usage: ${error.message}\n`);
          return 2;
        }
        if (error instanceof DatabaseError && (error.code === "corrupt" || error.code === "newer")) {
          io.stderr(
            `error: ${error.message}\nTo start afresh, run: backscatter-sweeper db rebuild${rebuildHint(rest)}\n(The old file is kept; your accounts and the record of moves are carried over where they can be read.)\n`,
          );
          return 1;
        }
        if (error instanceof ImapError && error.kind === "signin") {
          io.stderr(`error: ${error.message}\nTo sign in again: backscatter-sweeper account add --oauth PROVIDER EMAIL (the same as when you added it)\n`);
          return 1;
        }
        const message =
          error instanceof ImapError || error instanceof DatabaseError
            ? error.message
            : error instanceof Error && "code" in error
              ? describeImapError(error, { host: "the server", port: 0, user: "" }).message
              : error instanceof Error
                ? error.message
                : String(error);
        io.stderr(`error: ${message}\n`);
        return 1;
      }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.stderr(`unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

/** Entry point when run as a program. */
export async function main(): Promise<void> {
  limitHeapGrowth();
  process.exitCode = await runCli(process.argv.slice(2), processIo());
}
