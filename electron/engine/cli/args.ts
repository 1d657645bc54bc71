/** A small argument parser: `--name value`, `--flag`, `--name=value`, and positionals. */
export interface Args {
  positional: string[];
  options: Map<string, string | true>;
}

/** Options that never take a value. */
const FLAGS = new Set(["json", "apply", "last", "help", "dry-run", "all", "yes", "force"]);

export function parseArgs(argv: readonly string[]): Args {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (!a.startsWith("--")) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    if (eq > 0) options.set(a.slice(2, eq), a.slice(eq + 1));
    else if (FLAGS.has(a.slice(2)) || i + 1 >= argv.length || (argv[i + 1] ?? "").startsWith("--")) options.set(a.slice(2), true);
    else options.set(a.slice(2), argv[++i] ?? "");
  }
  return { positional, options };
}

export class UsageError extends Error {}

export function stringOption(args: Args, name: string): string | null {
  const v = args.options.get(name);
  if (v === undefined) return null;
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}
