/**
 * Secrets enter the engine only through this interface. Hosts decide where they live: Electron's
 * safeStorage, the CLI's file (mode 0600) or environment. Never SQLite, never logs.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The key an account's password is stored under. */
export const accountSecretKey = (accountId: number): string => `account:${accountId}`;

/** Secrets held in memory only (tests, and one-off inline accounts). */
export function memorySecrets(initial: Record<string, string> = {}): SecretStore {
  const map = new Map(Object.entries(initial));
  return {
    get: async (key) => map.get(key) ?? null,
    set: async (key, secret) => void map.set(key, secret),
    delete: async (key) => void map.delete(key),
  };
}

/** A JSON file readable only by the user (0600), for the CLI and `serve`. */
export function fileSecrets(path: string): SecretStore {
  const read = (): Record<string, string> => (existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, string>) : {});
  const write = (data: Record<string, string>): void => {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, JSON.stringify(data, null, 2), { mode: 0o600 });
    chmodSync(path, 0o600);
  };
  return {
    get: async (key) => read()[key] ?? null,
    set: async (key, secret) => write({ ...read(), [key]: secret }),
    delete: async (key) => write(Object.fromEntries(Object.entries(read()).filter(([k]) => k !== key))),
  };
}

/** What the desktop host lends to seal secrets: Electron's safeStorage, behind this shape. */
export interface Sealer {
  seal(plain: string): Promise<Buffer>;
  open(sealed: Buffer): Promise<string>;
}

/**
 * Secrets sealed by the OS keychain (through `sealer`), in a 0600 JSON file of base64 blobs: the
 * file alone does not give the password away.
 */
export function sealedFileSecrets(path: string, sealer: Sealer): SecretStore {
  const file = fileSecrets(path);
  return {
    get: async (key) => {
      const blob = await file.get(key);
      return blob === null ? null : sealer.open(Buffer.from(blob, "base64"));
    },
    set: async (key, secret) => file.set(key, (await sealer.seal(secret)).toString("base64")),
    delete: (key) => file.delete(key),
  };
}
