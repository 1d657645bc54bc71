/**
 * A real Dovecot for tests: started from a config written into a temp dir, listening on a free
 * loopback port, passwd-file users, Maildir storage; stopped by its PID. Needs root (to create
 * the system user Dovecot stores mail as) and Debian's dovecot-imapd, as CI installs it.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const MAIL_USER = "bssmail";

/** Capabilities Dovecot 2.3 announces after login; tests remove some to mimic other servers. */
const FULL_CAPABILITIES =
  "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE";

export interface DovecotOptions {
  /** Capability names to hide (e.g. ["MOVE"], ["UIDPLUS"]). */
  hide?: string[];
  /**
   * "slash" (default: Sent, Junk at top level, SPECIAL-USE), "courier" (INBOX. prefix, "."
   * separator, no SPECIAL-USE), "exchange" ("Sent Items", "Junk Email", no SPECIAL-USE) or
   * "gmail" ("[Gmail]/Sent Mail", "[Gmail]/Spam", "[Gmail]/All Mail" with SPECIAL-USE).
   */
  layout?: Layout;
  /**
   * Dovecot's quota plugin with limits on the number of messages and/or storage. (A UID MOVE
   * keeps the count, so Dovecot lets it through; a COPY beyond the limit is refused with OVERQUOTA.)
   */
  quota?: { messages?: number; storageKb?: number };
  /** Also accept OAuth2 bearer tokens (XOAUTH2, OAUTHBEARER), checked at this introspection endpoint. */
  oauth2?: { introspectionUrl: string; mechanisms?: ("xoauth2" | "oauthbearer")[] };
  users?: Record<string, string>;
  /** Also serve implicit TLS (and STARTTLS) with a fresh self-signed certificate. */
  tls?: boolean;
  /** Logged-in connections allowed per user and address (mail_max_userip_connections; default here 50). */
  maxConnections?: number;
  /** The longest command line accepted (imap_max_line_length; Dovecot's default is 64 KB). */
  maxLineLength?: number;
}

export interface Dovecot {
  host: string;
  port: number;
  dir: string;
  users: Record<string, string>;
  /** With `tls`: the implicit-TLS port and the certificate's SHA-256 fingerprint ("AB:CD:..."). */
  tlsPort?: number;
  fingerprint?: string;
  stop(): Promise<void>;
  log(): string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ensureMailUser(): { uid: number; gid: number } {
  try {
    execFileSync("id", ["-u", MAIL_USER], { stdio: "ignore" });
  } catch {
    execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", MAIL_USER], { stdio: "ignore" });
  }
  return {
    uid: Number(execFileSync("id", ["-u", MAIL_USER]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", MAIL_USER]).toString().trim()),
  };
}

export type Layout = "slash" | "courier" | "exchange" | "gmail";

const mailbox = (name: string, specialUse?: string): string =>
  `  mailbox "${name}" {\n${specialUse ? `    special_use = ${specialUse}\n` : ""}    auto = subscribe\n  }`;

function namespaceConfig(layout: Layout): string {
  if (layout === "exchange")
    return `namespace inbox {\n  inbox = yes\n  separator = /\n${mailbox("Sent Items")}\n${mailbox("Junk Email")}\n${mailbox("Deleted Items")}\n}`;
  if (layout === "gmail") {
    return `namespace inbox {\n  inbox = yes\n  separator = /\n${mailbox("[Gmail]/Sent Mail", "\\Sent")}\n${mailbox("[Gmail]/Spam", "\\Junk")}\n${mailbox("[Gmail]/All Mail", "\\All")}\n}`;
  }
  if (layout === "courier") {
    return `namespace inbox {
  inbox = yes
  separator = .
  prefix = INBOX.
  mailbox "Sent Items" {
    auto = subscribe
  }
}`;
  }
  return `namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
}`;
}

async function waitForPort(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}): ${safeRead(logFile)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not listen on ${port}: ${safeRead(logFile)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, "utf8").slice(-4000);
  } catch {
    return "(no log)";
  }
}

/** Dovecot's oauth2 passdb, asking the test provider's introspection endpoint about each token. */
function oauth2Passdb(dir: string, introspectionUrl: string, mechanisms: readonly string[]): string {
  writeFileSync(
    join(dir, "oauth2.conf.ext"),
    `introspection_mode = post\nintrospection_url = ${introspectionUrl}\nforce_introspection = yes\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n`,
  );
  return `passdb {\n  driver = oauth2\n  mechanisms = ${mechanisms.join(" ")}\n  args = ${dir}/oauth2.conf.ext\n}`;
}

function quotaConfig(q: { messages?: number; storageKb?: number }): string {
  const limits = [q.storageKb !== undefined ? `storage=${q.storageKb}K` : null, q.messages !== undefined ? `messages=${q.messages}` : null]
    .filter(Boolean)
    .join(":");
  return `plugin {\n  quota = count:User quota\n  quota_vsizes = yes\n  quota_rule = *:${limits}\n}`;
}

/** A self-signed certificate for a name no real host has. */
function selfSigned(dir: string): { config: string; fingerprint: string } {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=imap.bss-test.invalid"], {
    stdio: "ignore",
  });
  return {
    config: `ssl = yes\nssl_cert = <${cert}\nssl_key = <${key}\nssl_min_protocol = TLSv1.2`,
    fingerprint: new X509Certificate(readFileSync(cert)).fingerprint256,
  };
}

/** Starts a Dovecot instance. Call stop() in afterAll. */
export async function startDovecot(options: DovecotOptions = {}): Promise<Dovecot> {
  const { uid, gid } = ensureMailUser();
  const dir = mkdtempSync(join(tmpdir(), "bss-dovecot-"));
  chmodSync(dir, 0o755); // auth runs as the dovecot user and must reach the passwd file
  const users = options.users ?? { "alice@example.org": "alice-secret" };
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : 0;
  const tls = options.tls ? selfSigned(dir) : null;
  for (const sub of ["run", "mail", "state"]) mkdirSync(join(dir, sub), { recursive: true });
  chownSync(join(dir, "mail"), uid, gid);
  chownSync(join(dir, "state"), uid, gid);
  writeFileSync(
    join(dir, "passwd"),
    Object.entries(users)
      .map(([u, p]) => `${u}:{PLAIN}${p}::::::`)
      .join("\n") + "\n",
  );
  // imap_capability replaces the list, so the quota plugin's QUOTA is named here when it is loaded.
  const capabilities = [...FULL_CAPABILITIES.split(" "), ...(options.quota ? ["QUOTA"] : [])].filter((c) => !(options.hide ?? []).includes(c)).join(" ");
  const logFile = join(dir, "dovecot.log");
  const config = `
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logFile}
info_log_path = ${logFile}
${tls?.config ?? "ssl = no"}
disable_plaintext_auth = no
auth_mechanisms = plain login${options.oauth2 ? ` ${(options.oauth2.mechanisms ?? ["xoauth2", "oauthbearer"]).join(" ")}` : ""}
# Tests log in with wrong secrets on purpose; Dovecot's default delay after a failure would only slow them.
auth_failure_delay = 0
mail_location = maildir:${dir}/mail/%u
mail_uid = ${uid}
mail_gid = ${gid}
first_valid_uid = ${uid}
last_valid_uid = ${uid}
first_valid_gid = ${gid}
default_login_user = dovenull
default_internal_user = dovecot
imap_capability = ${capabilities}
${options.maxLineLength ? `imap_max_line_length = ${options.maxLineLength}` : ""}
protocol imap {
  mail_max_userip_connections = ${options.maxConnections ?? 50}
${options.quota ? "  mail_plugins = $mail_plugins quota imap_quota" : ""}
}
${options.quota ? quotaConfig(options.quota) : ""}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
${options.oauth2 ? oauth2Passdb(dir, options.oauth2.introspectionUrl, options.oauth2.mechanisms ?? ["xoauth2", "oauthbearer"]) : ""}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${tlsPort}
  }
}
service anvil {
  chroot =
}
service stats {
  chroot =
}
${namespaceConfig(options.layout ?? "slash")}
`;
  writeFileSync(join(dir, "dovecot.conf"), config);
  const child = spawn("/usr/sbin/dovecot", ["-F", "-c", join(dir, "dovecot.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  try {
    await waitForPort(port, child, logFile);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}`, { cause: error });
  }
  return {
    host: "127.0.0.1",
    port,
    dir,
    users,
    ...(tls ? { tlsPort, fingerprint: tls.fingerprint } : {}),
    log: () => safeRead(logFile),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Makes Dovecot give a user's INBOX a new UIDVALIDITY (and new UIDs), as a server does after a
 * restore or migration: its UID list and indexes are removed while no session has it open.
 */
export async function resetInboxUidvalidity(d: Dovecot, user = "alice@example.org"): Promise<void> {
  await new Promise((r) => setTimeout(r, 1100)); // UIDVALIDITY is a timestamp in seconds
  const root = join(d.dir, "mail", user);
  for (const name of ["dovecot-uidlist", "dovecot.index", "dovecot.index.log", "dovecot.index.cache", "dovecot.list.index", "dovecot.list.index.log"]) {
    rmSync(join(root, name), { force: true });
  }
}

/**
 * Writes messages straight into a user's Maildir (much faster than APPEND for large test
 * mailboxes); Dovecot indexes them when the folder is first opened. `folder` "INBOX" is the
 * Maildir root; others are Maildir++ subfolders (".Sent").
 */
let written = 0;

/** A generated mailbox's Sent and INBOX written straight into the Maildir. */
export function writeMailbox(d: Dovecot, box: { sent: readonly { raw: string }[]; inbox: readonly { raw: string }[] }, user = "alice@example.org"): number {
  return (
    writeMaildir(
      d,
      "Sent",
      box.sent.map((m) => m.raw),
      user,
    ) +
    writeMaildir(
      d,
      "INBOX",
      box.inbox.map((m) => m.raw),
      user,
    )
  );
}

export function writeMaildir(d: Dovecot, folder: string, raws: Iterable<string>, user = "alice@example.org"): number {
  const uid = Number(execFileSync("id", ["-u", MAIL_USER]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", MAIL_USER]).toString().trim());
  const root = join(d.dir, "mail", user);
  const base = folder === "INBOX" ? root : join(root, `.${folder.replace(/\//g, ".")}`);
  for (const dir of [root, base, join(base, "cur"), join(base, "new"), join(base, "tmp")]) {
    mkdirSync(dir, { recursive: true });
    chownSync(dir, uid, gid);
  }
  const stamp = Math.floor(Date.now() / 1000);
  let bytes = 0;
  for (const raw of raws) {
    const data = Buffer.from(raw, "utf8");
    // A counter, not the index: names stay unique across batches written in the same second.
    const file = join(base, "cur", `${stamp}.M${String(written++).padStart(9, "0")}P${process.pid}.test,S=${data.length}:2,`);
    writeFileSync(file, data);
    chownSync(file, uid, gid);
    bytes += data.length;
  }
  return bytes;
}
