/**
 * The engine behind a message port: Electron's utility process runs this (main only relays), and
 * tests run it over an in-memory port. Requests are checked against the contract's allow-list
 * before they reach the engine; progress events flow back. Secrets stay with the host that can
 * protect them (main, with safeStorage): the engine asks for them over the same port.
 */
import type { AppApi, EngineEvents } from "../../../shared/api.js";
import { dispatch, parseRequest, type ServerMessage } from "../../../shared/rpc.js";
import { openProfile } from "../profile.js";
import type { SecretStore } from "../secrets.js";

/** Main → engine. */
export type ToEngine = { type: "rpc"; request: unknown } | { type: "secret-result"; id: number; value: string | null; error?: string };
/** Engine → main. */
export type FromEngine = { type: "rpc"; message: ServerMessage } | { type: "secret"; id: number; op: "get" | "set" | "delete"; key: string; value?: string };

/** The two ends a host needs: Electron's `process.parentPort`, or a test's in-memory pair. */
export interface HostPort {
  onMessage(listener: (message: ToEngine) => void): void;
  post(message: FromEngine): void;
}

/** A SecretStore whose every call is answered by the other side of the port. */
function remoteSecrets(port: HostPort, pending: Map<number, { resolve(v: string | null): void; reject(e: Error): void }>): SecretStore {
  let next = 1;
  const ask = (op: "get" | "set" | "delete", key: string, value?: string): Promise<string | null> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      port.post(value === undefined ? { type: "secret", id, op, key } : { type: "secret", id, op, key, value });
    });
  return {
    get: (key) => ask("get", key),
    set: async (key, value) => void (await ask("set", key, value)),
    delete: async (key) => void (await ask("delete", key)),
  };
}

/**
 * Serves the engine on `port`, its database at `dbPath` (a damaged one is reported through
 * profileStatus and can be rebuilt from the UI). Returns the engine (for the host's scheduler).
 */
export function runEngineHost(port: HostPort, dbPath: string): AppApi {
  const pending = new Map<number, { resolve(v: string | null): void; reject(e: Error): void }>();
  const { engine } = openProfile({
    path: dbPath,
    secrets: remoteSecrets(port, pending),
    emit: <K extends keyof EngineEvents>(event: K, payload: EngineEvents[K]) => port.post({ type: "rpc", message: { event, payload } }),
  });
  port.onMessage((message) => {
    if (message.type === "secret-result") {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiting?.reject(new Error(message.error));
      else waiting?.resolve(message.value);
      return;
    }
    const request = parseRequest(message.request);
    if (typeof request === "string") {
      const id = typeof (message.request as { id?: unknown } | null)?.id === "number" ? (message.request as { id: number }).id : -1;
      port.post({ type: "rpc", message: { id, ok: false, error: { message: request, kind: "request" } } });
      return;
    }
    void dispatch(engine, request).then((response) => port.post({ type: "rpc", message: response }));
  });
  return engine;
}
