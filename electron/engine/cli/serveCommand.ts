/**
 * `serve [--host H] [--port P] [--db PATH]`: the UI in a browser on this computer. The first
 * stdout line is the address to open (with its token); Ctrl-C stops it.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { EngineEvents } from "../../../shared/api.js";
import { openProfile } from "../profile.js";
import { startServe, ServeRefused, type Serving } from "../serve/server.js";
import { stringOption, UsageError, type Args } from "./args.js";
import type { CommandIo } from "./io.js";
import { dbPath, secretsFor } from "./profile.js";

/** The built UI: dist/renderer, beside the compiled engine, unless BSS_UI_DIR names another (scripts/cli.mjs builds it there). */
export const UI_DIR = process.env["BSS_UI_DIR"] || join(import.meta.dirname, "..", "..", "..", "renderer");

export async function serveCommand(args: Args, io: CommandIo, stop: Promise<void>): Promise<number> {
  if (!existsSync(join(UI_DIR, "index.html"))) {
    io.stderr(`error: the UI is not built (no ${UI_DIR}/index.html): run npm run build:ui, or start it with npm run cli -- serve, which builds it\n`);
    return 1;
  }
  const portOption = stringOption(args, "port");
  const port = portOption === null ? 0 : Number(portOption);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not ${portOption}`);
  const path = dbPath(args, io);
  let serving: Serving | null = null;
  // A damaged database still lets the UI start: it shows the problem and offers the rebuild.
  const dns = stringOption(args, "dns");
  const profile = openProfile({
    path,
    secrets: secretsFor(path),
    ...(dns ? { deps: { env: { ...process.env, BSS_DNS: dns } } } : {}),
    emit: <K extends keyof EngineEvents>(event: K, payload: EngineEvents[K]) => serving?.broadcast(event, payload),
  });
  try {
    serving = await startServe({
      engine: profile.engine,
      staticDir: UI_DIR,
      host: stringOption(args, "host") ?? "127.0.0.1",
      port,
      secretsPath: join(dirname(path), "secrets.json"),
    });
  } catch (error) {
    profile.close();
    if (error instanceof ServeRefused) throw new UsageError(error.message);
    throw error;
  }
  io.stdout(`${serving.url}\n`);
  io.stderr(`Open the address above in your browser. Data: ${path}. Stop with Ctrl-C.\n`);
  await stop;
  await serving.close();
  profile.close();
  return 0;
}
