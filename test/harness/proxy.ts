/**
 * A loopback TCP proxy between the engine and Dovecot, for the faults a real network and real
 * servers bring: it cuts connections after a chosen number of bytes, and it answers chosen
 * commands with BAD instead of passing them on (a server that really lacks MOVE or UID EXPUNGE:
 * Dovecot's `imap_capability` only hides their names and would still run them), and it throttles
 * chosen commands as Office 365 does.
 */
import { createServer, connect, type Socket } from "node:net";

export interface ProxyOptions {
  /** For the n-th connection (from 0): after how many bytes from the server to cut it; null: never. */
  cutAfter?: (connection: number) => number | null;
  /** Client command lines answered with BAD, never passed on (e.g. /^\S+ UID MOVE /i). */
  refuse?: readonly RegExp[];
  /**
   * The first `times` command lines matching `command` are answered as a throttling server does:
   * Office 365's BAD "Request is throttled" with its backoff (default), or a tagged NO [THROTTLED].
   */
  throttle?: { command: RegExp; times: number; backoffMs: number; answer?: "office365" | "no-throttled" };
  /** The first `times` command lines matching `command` are answered with "* BYE Server Unavailable" and the connection is closed (Office 365 under load). */
  bye?: { command: RegExp; times: number };
  /** Command lines answered with an empty SEARCH result, never passed on: a server whose search finds nothing. */
  findNothing?: RegExp;
}

export interface Proxy {
  port: number;
  /** Connections accepted, connections cut, bytes from the server passed on, and the command lines refused, so far. */
  readonly connections: number;
  readonly bytes: number;
  readonly cuts: number;
  readonly refused: readonly string[];
  /** Command lines answered with a throttling BAD (or NO) so far. */
  readonly throttled: readonly string[];
  /** Command lines answered with a BYE so far. */
  readonly byes: readonly string[];
  /** Each connection's client lines so far (the first 200 characters of each), by connection number. */
  readonly commands: readonly (readonly string[])[];
  /** Cuts every open connection now. */
  cutAll(): void;
  close(): Promise<void>;
}

/** Passes client lines on (each one recorded), except those `answer` answers itself (with a tagged line of its own). */
function filterCommands(client: Socket, server: Socket, answer: ((line: string) => string | null) | null, record: string[]): void {
  let pending = "";
  let swallowing: string | null = null;
  client.on("data", (chunk: Buffer) => {
    // Without own answers the bytes pass as they come (TLS has no lines) and the lines are only read.
    if (answer === null) server.write(chunk);
    const lines = (pending + chunk.toString("latin1")).split("\r\n");
    pending = lines.pop() ?? "";
    if (answer === null) pending = pending.slice(-1000);
    for (const line of lines) {
      record.push(line.slice(0, 200));
      if (answer === null) continue;
      // A command answered here may go on in literals: take them (asking for each synchronizing one) and answer at its end.
      const literal = /\{(\d+)(\+?)\}$/.exec(line);
      if (swallowing) {
        if (literal) {
          if (!literal[2]) client.write("+ go on\r\n");
          continue;
        }
        client.write(swallowing);
        swallowing = null;
        continue;
      }
      const own = answer(`${line}\r\n`);
      const tag = line.split(" ")[0] ?? "*";
      if (own === BYE) {
        client.end(`${BYE}\r\n`);
        server.destroy();
        return;
      }
      const reply = own === null ? null : own.includes("{tag}") ? `${own.replace("{tag}", tag)}\r\n` : `${tag} ${own}\r\n`;
      if (reply !== null && literal) {
        swallowing = reply;
        if (!literal[2]) client.write("+ go on\r\n");
      } else if (reply !== null) client.write(reply);
      else server.write(Buffer.from(`${line}\r\n`, "latin1"));
    }
  });
}

/** The answer that makes the proxy close the connection after writing it. */
const BYE = "* BYE Server Unavailable. 15";

/** What the proxy answers itself: refused commands, throttled ones while the throttle lasts, and a BYE under load. */
function ownAnswers(options: ProxyOptions, refused: string[], throttled: string[], byes: string[]): ((line: string) => string | null) | null {
  const { refuse = [], throttle, findNothing } = options;
  if (refuse.length === 0 && !throttle && !findNothing && !options.bye) return null;
  return (line) => {
    if (findNothing?.test(line)) return "* SEARCH\r\n{tag} OK Search completed";
    if (options.bye && byes.length < options.bye.times && options.bye.command.test(line)) {
      byes.push(line.trim());
      return BYE;
    }
    if (refuse.some((r) => r.test(line))) {
      refused.push(line.trim());
      return "BAD Command not supported here";
    }
    if (throttle && throttled.length < throttle.times && throttle.command.test(line)) {
      throttled.push(line.trim());
      if (throttle.answer === "no-throttled") return "NO [THROTTLED] Too many requests, slow down";
      return `BAD Request is throttled. Suggested Backoff Time: ${throttle.backoffMs} milliseconds`;
    }
    return null;
  };
}

export async function startProxy(target: { host: string; port: number }, options: ProxyOptions = {}): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const refused: string[] = [];
  const throttled: string[] = [];
  const byes: string[] = [];
  const answer = ownAnswers(options, refused, throttled, byes);
  const commands: string[][] = [];
  let connections = 0;
  let cuts = 0;
  let bytes = 0;
  const server = createServer((client) => {
    const n = connections++;
    const limit = options.cutAfter?.(n) ?? null;
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    let seen = 0;
    const cut = (): void => {
      cuts++;
      client.destroy();
      upstream.destroy();
    };
    upstream.on("data", (chunk: Buffer) => {
      if (limit !== null && seen + chunk.length >= limit) {
        client.write(chunk.subarray(0, Math.max(0, limit - seen)));
        bytes += Math.max(0, limit - seen);
        seen = limit;
        cut();
        return;
      }
      seen += chunk.length;
      bytes += chunk.length;
      client.write(chunk);
    });
    commands[n] = [];
    filterCommands(client, upstream, answer, commands[n]);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on("error", () => b.destroy());
      a.on("close", () => {
        b.destroy();
        sockets.delete(a);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    get connections() {
      return connections;
    },
    get cuts() {
      return cuts;
    },
    get bytes() {
      return bytes;
    },
    refused,
    throttled,
    byes,
    commands,
    cutAll: () => {
      for (const s of sockets) s.destroy();
      cuts++;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
