/**
 * The one place the UI picks how it reaches the engine: the Electron preload's bridge when the
 * app runs on the desktop, else a WebSocket to `backscatter-sweeper serve` (authenticated by the
 * cookie the first page load set). Everything else talks to the {@link EngineClient} it returns.
 */
import { createClient, type EngineClient, type RpcEvent, type RpcRequest, type ServerMessage } from "../shared/rpc.js";

export interface Bridge {
  client: EngineClient;
  host: "desktop" | "browser";
  /** Where secrets are kept, when the host says (serve's 0600 file). */
  secretsPath: string | null;
  onEvent(listener: (event: RpcEvent) => void): () => void;
}

interface PreloadBridge {
  send(request: RpcRequest): void;
  onMessage(listener: (message: ServerMessage) => void): void;
}

declare global {
  interface Window {
    backscatter?: PreloadBridge;
  }
}

function listeners(): { add(l: (e: RpcEvent) => void): () => void; emit(e: RpcEvent): void } {
  const set = new Set<(e: RpcEvent) => void>();
  return {
    add(l) {
      set.add(l);
      return () => set.delete(l);
    },
    emit: (e) => set.forEach((l) => l(e)),
  };
}

export async function connect(): Promise<Bridge> {
  const events = listeners();
  const preload = window.backscatter;
  if (preload) {
    const rpc = createClient((r) => preload.send(r), events.emit);
    preload.onMessage(rpc.receive);
    return { client: rpc.client, host: "desktop", secretsPath: null, onEvent: events.add };
  }
  // The token has set its cookie; keep it out of the address bar, history and screenshots.
  if (location.search.includes("token=")) history.replaceState(null, "", location.pathname);
  const socket = new WebSocket(`${location.origin.replace(/^http/, "ws")}/rpc`);
  const rpc = createClient((r) => socket.send(JSON.stringify(r)), events.emit);
  socket.addEventListener("message", (m) => rpc.receive(JSON.parse(String(m.data)) as ServerMessage));
  socket.addEventListener("close", () => rpc.failAll("The connection to Backscatter Sweeper was lost. Is `serve` still running?"));
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error("Could not reach Backscatter Sweeper. Open the address `serve` printed.")), { once: true });
  });
  const secretsPath = document.querySelector<HTMLMetaElement>('meta[name="bss-secrets"]')?.content || null;
  return { client: rpc.client, host: "browser", secretsPath, onEvent: events.add };
}
