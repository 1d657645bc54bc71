/**
 * The command-line host: `backscatter-sweeper <command> [options]`.
 * Exit codes: 0 ok, 1 error, 2 usage.
 */
import { parseCommand } from "./parseCommand.js";
import { processIo, type CommandIo } from "./io.js";

const USAGE = `usage: backscatter-sweeper <command> [options]

commands:
  parse --json PATH...   read message files, directories or mboxes; one JSON line per message
`;

export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "parse":
      return parseCommand(rest.filter((a) => a !== "--json"), io);
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
  process.exitCode = await runCli(process.argv.slice(2), processIo());
}
