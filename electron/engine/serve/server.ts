/**
 * `backscatter-sweeper serve`: the built UI and the engine contract over a WebSocket, for a
 * browser on this computer. Loopback only. Every HTTP and WebSocket request must carry the
 * session's random token (in the URL, or in the cookie the first page load sets) and, when the
 * browser sends an Origin, come from this server's own origin; anything else gets 403.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import type { AppApi, EngineEvents } from "../../../shared/api.js";
import { dispatch, parseRequest, type ServerMessage } from "../../../shared/rpc.js";
import { isLoopback } from "../../../shared/loopback.js";

export interface ServeOptions {
  engine: AppApi;
  /** The built UI (index.html and its assets). */
  staticDir: string;
  host?: string;
  /** 0: a free port. */
  port?: number;
  token?: string;
  /** Shown in the UI: where secrets are kept. */
  secretsPath?: string | null;
}

export interface Serving {
  url: string;
  token: string;
  /** Sends an engine event to every connected page. */
  broadcast<K extends keyof EngineEvents>(event: K, payload: EngineEvents[K]): void;
  close(): Promise<void>;
}

export class ServeRefused extends Error {}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};
const COOKIE = "bss_token";

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage): string | null {
  const match = (req.headers.cookie ?? "").split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`));
  return match ? match.slice(COOKIE.length + 1) : null;
}

/** Strict headers for every answer: the page may load only its own files and talk only to us. */
function securityHeaders(origin: string): Record<string, string> {
  const ws = origin.replace(/^http/, "ws");
  return {
    "Content-Security-Policy": `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self' ${ws}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
  };
}

/** Starts serving; resolves once listening. Throws {@link ServeRefused} for a non-loopback host. */
export async function startServe(options: ServeOptions): Promise<Serving> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(host))
    throw new ServeRefused(`serve listens only on this computer (127.0.0.1, ::1, localhost), not on ${host}: the UI gives full control of your mailbox.`);
  const token = options.token ?? randomBytes(24).toString("base64url");
  let origin = "";
  const allowed = (req: IncomingMessage, url: URL): boolean => {
    const given = url.searchParams.get("token") ?? cookieToken(req);
    const from = req.headers.origin;
    return sameToken(given, token) && (from === undefined || from === origin);
  };

  const sendFile = async (res: ServerResponse, url: URL, setCookie: boolean): Promise<void> => {
    const wanted = url.pathname === "/" ? "/index.html" : decodeURIComponent(url.pathname);
    const file = normalize(join(options.staticDir, wanted));
    if (!file.startsWith(normalize(options.staticDir) + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      let body = await readFile(file);
      if (wanted === "/index.html")
        body = Buffer.from(
          body.toString("utf8").replace("</head>", `<meta name="bss-secrets" content="${(options.secretsPath ?? "").replace(/"/g, "&quot;")}"></head>`),
        );
      const headers: Record<string, string> = { ...securityHeaders(origin), "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" };
      if (setCookie) headers["Set-Cookie"] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, securityHeaders(origin)).end("Not found");
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin);
    if (req.method !== "GET" || !allowed(req, url)) {
      res
        .writeHead(403, { "Content-Type": "text/plain; charset=utf-8", ...securityHeaders(origin) })
        .end("Forbidden: open the address serve printed, with its token.");
      return;
    }
    void sendFile(res, url, url.searchParams.has("token"));
  });

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", origin);
    if (url.pathname !== "/rpc" || !allowed(req, url) || req.headers.origin !== origin) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on("close", () => sockets.delete(ws));
      ws.on("message", (data) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(String(data));
        } catch {
          parsed = null;
        }
        const request = parseRequest(parsed);
        if (typeof request === "string") {
          const id = typeof (parsed as { id?: unknown } | null)?.id === "number" ? (parsed as { id: number }).id : -1;
          ws.send(JSON.stringify({ id, ok: false, error: { message: request, kind: "request" } } satisfies ServerMessage));
          return;
        }
        void dispatch(options.engine, request).then((response) => ws.send(JSON.stringify(response)));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host === "localhost" ? "127.0.0.1" : host;
  origin = `http://${shownHost}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    token,
    broadcast(event, payload) {
      const text = JSON.stringify({ event, payload } satisfies ServerMessage);
      for (const ws of sockets) ws.send(text);
    },
    close: () =>
      new Promise((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
