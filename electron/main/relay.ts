/**
 * Main's part between the window and the engine's utility process, as functions that need no
 * Electron so they are tested in plain Node: which frames may call, which files the app://
 * scheme serves, and what main does with each message from the engine.
 */
import { normalize, sep } from "node:path";
import type { ServerMessage } from "../../shared/rpc.js";
import type { FromEngine, ToEngine } from "../engine/host/engineHost.js";
import type { SecretStore } from "../engine/secrets.js";

/** The app is served from here, never from file://. */
export const APP_ORIGIN = "app://bundle";

/**
 * The policy every app:// response carries (the page's own meta tag says the same): our scripts
 * and styles only, no plugins, no frames, no remote anything.
 */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors 'none'";

/** A file response from the bundle, with the CSP and no-sniff headers added. */
export async function withAppHeaders(response: Promise<Response>): Promise<Response> {
  const r = await response;
  const headers = new Headers(r.headers);
  headers.set("Content-Security-Policy", APP_CSP);
  headers.set("X-Content-Type-Options", "nosniff");
  return new Response(r.body, { status: r.status, headers });
}

/** Only our own page may talk to the engine: not a navigated-to page, not an iframe's content. */
export function isOwnFrame(url: string | null | undefined): boolean {
  try {
    const u = new URL(url ?? "");
    return u.protocol === "app:" && u.host === "bundle";
  } catch {
    return false;
  }
}

/** The file an app:// URL names inside the built UI, or null for anything outside it. */
export function bundlePath(url: string, uiDir: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== "app:" || u.host !== "bundle") return null;
  const file = normalize(`${uiDir}${sep}${decodeURIComponent(u.pathname === "/" ? "/index.html" : u.pathname)}`);
  return file.startsWith(normalize(uiDir) + sep) ? file : null;
}

/** Requests main makes itself (tray, resume from sleep) are numbered from here; the windows' stay below. */
export const MAIN_FIRST_ID = 1_000_000_000;

export interface RelayDeps {
  /** To every window of ours. */
  broadcast(message: ServerMessage): void;
  /** To main's own client: answers to its requests, and every event (notifications, the tray). */
  toMain?(message: ServerMessage): void;
  toEngine(message: ToEngine): void;
  /** Main's secret store (safeStorage); the engine never sees where secrets live. */
  secrets: SecretStore;
}

/** Routes one message from the engine: answers to whoever asked (a window or main), events to both, secret requests to the store. */
export async function handleEngineMessage(message: FromEngine, deps: RelayDeps): Promise<void> {
  if (message.type === "rpc") {
    const m = message.message;
    const forMain = "id" in m && m.id >= MAIN_FIRST_ID;
    if (!forMain) deps.broadcast(m);
    if (forMain || "event" in m) deps.toMain?.(m);
    return;
  }
  try {
    let value: string | null = null;
    if (message.op === "get") value = await deps.secrets.get(message.key);
    else if (message.op === "set") await deps.secrets.set(message.key, message.value ?? "");
    else await deps.secrets.delete(message.key);
    deps.toEngine({ type: "secret-result", id: message.id, value });
  } catch (error) {
    deps.toEngine({ type: "secret-result", id: message.id, value: null, error: error instanceof Error ? error.message : String(error) });
  }
}
