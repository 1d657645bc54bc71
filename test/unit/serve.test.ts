// The `serve` host alone: a real HTTP + WebSocket server on loopback, with an engine stand-in
// that records calls (the engine itself is tested against Dovecot elsewhere).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { AppApi } from "../../shared/api.js";
import { startServe, ServeRefused, type Serving } from "../../electron/engine/serve/server.js";

const calls: string[] = [];
const engine = new Proxy({} as AppApi, {
  get: (_t, method: string) => async (args: object) => {
    calls.push(`${method} ${JSON.stringify(args)}`);
    if (method === "accountTest") throw Object.assign(new Error("The server refused the password."), { kind: "credentials" });
    return method === "accountList" ? [] : null;
  },
});

let dir: string;
let serving: Serving;
let origin: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bss-serve-"));
  writeFileSync(join(dir, "index.html"), "<html><head></head><body>ui</body></html>");
  serving = await startServe({ engine, staticDir: dir, secretsPath: "/home/u/.local/share/backscatter-sweeper/secrets.json" });
  origin = new URL(serving.url).origin;
});
afterAll(async () => {
  await serving.close();
  rmSync(dir, { recursive: true, force: true });
});

function socket(query: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${origin.replace("http", "ws")}/rpc${query}`, { headers });
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.once("error", () => resolve(-1));
  });
}

function call(ws: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once("message", (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>));
    ws.send(JSON.stringify(message));
  });
}

describe("serve", () => {
  it("binds to loopback only", async () => {
    await expect(startServe({ engine, staticDir: dir, host: "0.0.0.0" })).rejects.toBeInstanceOf(ServeRefused);
    await expect(startServe({ engine, staticDir: dir, host: "192.168.1.20" })).rejects.toThrow(/only on this computer/);
  });

  it("answers the page only with the token, sets it as a strict cookie, and sends a strict CSP", async () => {
    expect((await fetch(`${origin}/`)).status).toBe(403);
    expect((await fetch(`${origin}/?token=x${serving.token}`)).status).toBe(403);
    const ok = await fetch(serving.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/);
    expect(ok.headers.get("content-security-policy")).toMatch(/default-src 'none'; script-src 'self'/);
    expect(await ok.text()).toContain('<meta name="bss-secrets" content="/home/u/.local/share/backscatter-sweeper/secrets.json">');
    expect((await fetch(`${origin}/`, { headers: { cookie: `bss_token=${serving.token}` } })).status).toBe(200);
    expect((await fetch(serving.url, { headers: { origin: "http://evil.example" } })).status).toBe(403);
    expect((await fetch(`${origin}/../../etc/passwd?token=${serving.token}`)).status).toBe(404);
  });

  it("upgrades a WebSocket only with the token and from its own origin", async () => {
    expect(await socket("", { origin })).toBe(403);
    expect(await socket(`?token=${serving.token}`, { origin: "http://evil.example" })).toBe(403);
    expect(await socket(`?token=${serving.token}`, {})).toBe(403);
    const ws = await socket(`?token=${serving.token}`, { origin });
    expect(ws).toBeInstanceOf(WebSocket);
    (ws as WebSocket).close();
  });

  it("runs allowed methods with one object argument, refuses anything else, and returns failures in words", async () => {
    const ws = (await socket("", { origin, cookie: `bss_token=${serving.token}` })) as WebSocket;
    expect(await call(ws, { id: 1, method: "accountList", args: {} })).toEqual({ id: 1, ok: true, value: [] });
    expect(await call(ws, { id: 2, method: "constructor", args: {} })).toMatchObject({ id: 2, ok: false, error: { kind: "request" } });
    expect(await call(ws, { id: 3, method: "scan", args: [1, 2] })).toMatchObject({ id: 3, ok: false, error: { message: "the argument must be one object" } });
    expect(await call(ws, { id: 4, method: "accountTest", args: { accountId: 1 } })).toEqual({
      id: 4,
      ok: false,
      error: { message: "The server refused the password.", kind: "credentials" },
    });
    expect(calls).toEqual(["accountList {}", 'accountTest {"accountId":1}']);
    ws.close();
  });
});
