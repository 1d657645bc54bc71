// Connecting, and every way it fails, each with its own words: DNS, refused, TLS, certificate,
// bad credentials, timeout. A real Dovecot with a self-signed certificate; loopback only.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../shared/model.js";
import { openDatabase } from "../../electron/engine/db/open.js";
import { ImapError } from "../../electron/engine/imap/errors.js";
import { ImapSession, type SessionOptions } from "../../electron/engine/imap/session.js";
import { createEngine } from "../../electron/engine/index.js";
import { memorySecrets } from "../../electron/engine/secrets.js";
import { startDovecot, type Dovecot } from "../harness/dovecot.js";
import { plainAccount } from "../harness/engine.js";

let d: Dovecot;
beforeAll(async () => {
  d = await startDovecot({ tls: true });
}, 60_000);
afterAll(async () => {
  await d?.stop();
});

const account = (over: Partial<Account> = {}): Account => plainAccount(d, over);

/** The ImapError an attempt ends in (fails the test if it connects). */
async function failure(options: Partial<SessionOptions> & { account: Account }): Promise<ImapError> {
  try {
    const session = await ImapSession.open({ secret: "alice-secret", timeoutMs: 5_000, ...options });
    await session.close();
  } catch (error) {
    expect(error).toBeInstanceOf(ImapError);
    return error as ImapError;
  }
  throw new Error("expected the connection to fail, but it succeeded");
}

async function connects(options: Partial<SessionOptions> & { account: Account }): Promise<void> {
  const session = await ImapSession.open({ secret: "alice-secret", timeoutMs: 5_000, ...options });
  expect(session.has("IMAP4rev1")).toBe(true);
  await session.close();
}

/** A loopback server that accepts and then never says a word. */
async function silentServer(): Promise<{ server: Server; port: number }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  server.on("close", () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  return { server, port: typeof address === "object" && address ? address.port : 0 };
}

describe("a connection that fails says why", () => {
  it("bad credentials", async () => {
    const e = await failure({ account: account(), secret: "wrong" });
    expect(e.kind).toBe("credentials");
    expect(e.message).toMatch(/refused the user name or password for alice@example\.org/);
  });

  it("refused: nothing listens on the port", async () => {
    const { server, port } = await silentServer();
    await new Promise((r) => server.close(r));
    const e = await failure({ account: account({ port }) });
    expect(e.kind).toBe("refused");
    expect(e.message).toContain(`127.0.0.1:${port} refused the connection`);
  });

  it("timeout: the server accepts and never greets", async () => {
    const { server, port } = await silentServer();
    try {
      const e = await failure({ account: account({ port }), timeoutMs: 800 });
      expect(e.kind).toBe("timeout");
      expect(e.message).toMatch(/did not answer in time/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("DNS: the name cannot be resolved (an injected resolver; tests make no DNS queries)", async () => {
    const resolve = (host: string): Promise<string> => Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" }));
    const e = await failure({ account: account({ host: "imap.example.invalid", security: "tls", port: d.tlsPort ?? 0 }), resolve });
    expect(e.kind).toBe("dns");
    expect(e.message).toContain("imap.example.invalid could not be found");
  });

  it("TLS: implicit TLS spoken to a plain-text port", async () => {
    const e = await failure({ account: account({ security: "tls" }) });
    expect(e.kind).toBe("tls");
    expect(e.message).toMatch(/secure \(TLS\) connection .* failed/);
  });

  it("plain text to a host that is not this computer is refused before any connection", async () => {
    let asked = false;
    const resolve = (): Promise<string> => {
      asked = true;
      return Promise.resolve("127.0.0.1");
    };
    const e = await failure({ account: account({ host: "mail.example.net" }), resolve });
    expect(e.kind).toBe("config");
    expect(asked).toBe(false);
  });
});

describe("a self-signed certificate", () => {
  const tlsAccount = (over: Partial<Account> = {}): Account => account({ host: "localhost", port: d.tlsPort ?? 0, security: "tls", ...over });
  const resolve = (): Promise<string> => Promise.resolve("127.0.0.1");

  it("is refused when not pinned, with its fingerprint in the words and on the error", async () => {
    const e = await failure({ account: tlsAccount(), resolve });
    expect(e.kind).toBe("certificate");
    expect(e.fingerprint).toBe(d.fingerprint);
    expect(e.message).toContain(d.fingerprint);
  });

  it("is accepted by its pinned fingerprint, over implicit TLS and over STARTTLS", async () => {
    await connects({ account: tlsAccount({ pinnedFingerprint: d.fingerprint ?? null }), resolve });
    const bare = (d.fingerprint ?? "").replace(/:/g, "").toLowerCase();
    await connects({ account: account({ host: "localhost", security: "starttls", pinnedFingerprint: bare }), resolve });
  });

  it("is refused when its fingerprint differs from the pin", async () => {
    const e = await failure({ account: tlsAccount({ pinnedFingerprint: "00".repeat(32) }), resolve });
    expect(e.kind).toBe("certificate");
    expect(e.message).toMatch(/has changed/);
  });

  it("reaches the user through the engine's connection test, then works once pinned", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bss-conn-"));
    try {
      const engine = createEngine({
        db: openDatabase(join(dir, "profile.sqlite")),
        secrets: memorySecrets(),
        openSession: (a, secret) => ImapSession.open({ account: a, secret, resolve }),
      });
      const input = { host: "localhost", port: d.tlsPort ?? 0, security: "tls" as const, user: "alice@example.org" };
      const unpinned = await engine.accountAdd({ account: input, secret: "alice-secret" });
      const before = await engine.accountTest({ accountId: unpinned.id });
      expect(before).toMatchObject({ ok: false, kind: "certificate", fingerprint: d.fingerprint });
      await engine.accountUpdate({ accountId: unpinned.id, changes: { pinnedFingerprint: before.fingerprint ?? null } });
      const after = await engine.accountTest({ accountId: unpinned.id });
      expect(after).toMatchObject({ ok: true, sentFolders: ["Sent"] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
