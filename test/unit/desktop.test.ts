// The desktop host's logic without the Electron binary (it cannot run here): main's relay with
// fakes of what it touches, and the engine host over an in-memory port with a real engine.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ServerMessage } from "../../shared/rpc.js";
import { runEngineHost, type FromEngine, type ToEngine } from "../../electron/engine/host/engineHost.js";
import { memorySecrets, sealedFileSecrets } from "../../electron/engine/secrets.js";
import { bundlePath, handleEngineMessage, isOwnFrame } from "../../electron/main/relay.js";

const dirs: string[] = [];
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), "bss-desktop-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("main's relay", () => {
  it("accepts calls only from our own app:// frame", () => {
    expect(isOwnFrame("app://bundle/index.html")).toBe(true);
    for (const url of ["https://evil.example/", "file:///home/u/index.html", "app://other/index.html", "", null, undefined, "not a url"])
      expect(isOwnFrame(url)).toBe(false);
  });

  it("serves only files inside the built UI", () => {
    expect(bundlePath("app://bundle/", "/opt/app/ui")).toBe("/opt/app/ui/index.html");
    expect(bundlePath("app://bundle/assets/index.js", "/opt/app/ui")).toBe("/opt/app/ui/assets/index.js");
    expect(bundlePath("app://bundle/..%2F..%2Fetc%2Fpasswd", "/opt/app/ui")).toBeNull();
    expect(bundlePath("app://evil/index.html", "/opt/app/ui")).toBeNull();
    expect(bundlePath("file:///etc/passwd", "/opt/app/ui")).toBeNull();
  });

  it("answers the engine's secret requests from main's store and routes everything else to the windows", async () => {
    const toEngine: ToEngine[] = [];
    const windows: ServerMessage[] = [];
    const deps = {
      broadcast: (m: ServerMessage) => windows.push(m),
      toEngine: (m: ToEngine) => toEngine.push(m),
      secrets: memorySecrets({ "account:1": "pw" }),
    };
    await handleEngineMessage({ type: "secret", id: 7, op: "get", key: "account:1" }, deps);
    await handleEngineMessage({ type: "secret", id: 8, op: "set", key: "account:2", value: "two" }, deps);
    await handleEngineMessage({ type: "rpc", message: { id: 1, ok: true, value: [] } }, deps);
    expect(toEngine).toEqual([
      { type: "secret-result", id: 7, value: "pw" },
      { type: "secret-result", id: 8, value: null },
    ]);
    expect(await deps.secrets.get("account:2")).toBe("two");
    expect(windows).toEqual([{ id: 1, ok: true, value: [] }]);
  });

  it("keeps secrets sealed on disk: the file holds only what the sealer made", async () => {
    const file = join(temp(), "secrets.json");
    const sealer = {
      seal: async (p: string) => Buffer.from([...Buffer.from(p)].map((b) => b ^ 0x5a)),
      open: async (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
    };
    const store = sealedFileSecrets(file, sealer);
    await store.set("account:1", "hunter2-very-secret");
    expect(readFileSync(file, "utf8")).not.toContain("hunter2");
    expect(await store.get("account:1")).toBe("hunter2-very-secret");
  });
});

describe("the engine host (what Electron's utility process runs)", () => {
  it("serves the contract over a port, asks main for secrets, refuses methods off the allow-list", async () => {
    const listeners: ((m: ToEngine) => void)[] = [];
    const fromEngine: FromEngine[] = [];
    const mainSecrets = memorySecrets();
    const port = {
      onMessage: (l: (m: ToEngine) => void) => void listeners.push(l),
      post: (m: FromEngine) => {
        fromEngine.push(m);
        // Main's side, as index.ts wires it.
        void handleEngineMessage(m, { broadcast: () => undefined, toEngine: (r) => listeners.forEach((l) => l(r)), secrets: mainSecrets });
      },
    };
    runEngineHost(port, join(temp(), "profile.sqlite"));
    const answer = (id: number): Promise<ServerMessage> =>
      new Promise((resolve) => {
        const poll = (): void => {
          const hit = fromEngine.find((m): m is Extract<FromEngine, { type: "rpc" }> => m.type === "rpc" && "id" in m.message && m.message.id === id);
          if (hit) resolve(hit.message);
          else setTimeout(poll, 5);
        };
        poll();
      });
    const send = (request: unknown): void => listeners.forEach((l) => l({ type: "rpc", request }));

    send({
      id: 1,
      method: "accountAdd",
      args: { account: { host: "127.0.0.1", port: 1143, security: "plain", user: "alice@example.org" }, secret: "alice-secret" },
    });
    expect(await answer(1)).toMatchObject({ id: 1, ok: true, value: { user: "alice@example.org" } });
    expect(await mainSecrets.get("account:1")).toBe("alice-secret");
    send({ id: 2, method: "accountList", args: {} });
    expect(await answer(2)).toMatchObject({ ok: true, value: [{ id: 1, host: "127.0.0.1" }] });
    send({ id: 3, method: "__proto__", args: {} });
    expect(await answer(3)).toMatchObject({ ok: false, error: { kind: "request" } });
  });
});
