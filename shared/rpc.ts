/**
 * The engine contract on the wire, for every host (Electron's relay, `serve`'s WebSocket) and
 * every client (the UI). The client is derived from {@link AppApi} with mapped types, so a
 * method added to the contract is callable everywhere without a line written here; a request is
 * accepted only for a method on the {@link APP_METHODS} allow-list, with one object argument.
 */
import { APP_METHODS, type AppApi, type EngineEvents, type AppMethod } from "./api.js";

export interface RpcRequest {
  id: number;
  method: AppMethod;
  args: object;
}

export interface RpcError {
  message: string;
  kind?: string;
}

export type RpcResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: RpcError };

export interface RpcEvent<K extends keyof EngineEvents = keyof EngineEvents> {
  event: K;
  payload: EngineEvents[K];
}

export type ServerMessage = RpcResponse | RpcEvent;

/** The client's view of the engine: the same methods, each with its one object argument. */
export type EngineClient = { [K in AppMethod]: (args: Parameters<AppApi[K]>[0]) => ReturnType<AppApi[K]> };

const METHODS: ReadonlySet<string> = new Set(APP_METHODS);

/** A request from an untrusted sender, checked; a string says what is wrong with it. */
export function parseRequest(raw: unknown): RpcRequest | string {
  if (typeof raw !== "object" || raw === null) return "a request must be an object";
  const r = raw as Record<string, unknown>;
  if (typeof r["id"] !== "number" || !Number.isSafeInteger(r["id"])) return "a request needs a numeric id";
  if (typeof r["method"] !== "string" || !METHODS.has(r["method"])) return `unknown method ${JSON.stringify(r["method"])}`;
  const args = r["args"] ?? {};
  if (typeof args !== "object" || args === null || Array.isArray(args)) return "the argument must be one object";
  return { id: r["id"], method: r["method"] as AppMethod, args };
}

/** Runs a checked request on the engine; never throws: a failure comes back in words. */
export async function dispatch(engine: AppApi, request: RpcRequest): Promise<RpcResponse> {
  try {
    const handler = engine[request.method] as (args: object) => Promise<unknown>;
    const value = await handler.call(engine, request.args);
    return { id: request.id, ok: true, value: value ?? null };
  } catch (error) {
    const e = error as { message?: unknown; kind?: unknown };
    const out: RpcError = { message: typeof e?.message === "string" ? e.message : String(error) };
    if (typeof e?.kind === "string") out.kind = e.kind;
    return { id: request.id, ok: false, error: out };
  }
}

export class EngineCallError extends Error {
  constructor(
    message: string,
    readonly kind?: string,
  ) {
    super(message);
  }
}

/**
 * A client over any message channel: `send` puts a request on the wire; feed every message from
 * the other side to `receive`. Progress events go to `onEvent`. Two clients on one channel (the
 * window's and Electron main's own) number their requests from different `firstId`s.
 */
export function createClient(
  send: (request: RpcRequest) => void,
  onEvent: (event: RpcEvent) => void = () => undefined,
  firstId = 1,
): { client: EngineClient; receive(message: ServerMessage): void; failAll(reason: string): void } {
  let next = firstId;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const call = (method: AppMethod, args: object): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      send({ id, method, args });
    });
  const client = Object.fromEntries(APP_METHODS.map((m) => [m, (args: object) => call(m, args ?? {})])) as unknown as EngineClient;
  return {
    client,
    receive(message) {
      if ("event" in message) {
        onEvent(message);
        return;
      }
      const w = waiting.get(message.id);
      if (!w) return;
      waiting.delete(message.id);
      if (message.ok) w.resolve(message.value);
      else w.reject(new EngineCallError(message.error.message, message.error.kind));
    },
    failAll(reason) {
      for (const w of waiting.values()) w.reject(new EngineCallError(reason, "connection"));
      waiting.clear();
    },
  };
}
