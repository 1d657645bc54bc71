/**
 * The only file that talks to imapflow (fetchAnswer.ts reads the FETCH answers it hands over;
 * imapflowInternals.ts holds the fast path's reach into its internals, publicFetch.ts the public
 * path taken when those are not what it expects).
 * Everything above it sees plain data and a few verbs,
 * each following DESIGN.md's IMAP rules: fetches collect before anyone acts, one mailbox lock
 * at a time released in `finally`, every result checked, reads with BODY.PEEK only, and no
 * imapflow `messageMove` fallback (it would send a plain EXPUNGE).
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { ImapFlow } from "imapflow";
import { isLoopback } from "../../../shared/loopback.js";
import type { Account } from "../../../shared/model.js";
import type { EnvelopeRow, FetchedSections, FolderInfo, FolderStatus, ImapPort, SearchCriterion, TriageRow, WaitResult } from "../ports.js";
import { envelopeTime } from "../mime/envelope.js";
import { sectionKey, TRACE_FIELDS, type SectionRead } from "../mime/imapStructure.js";
import { describeImapError, FailureRecorder, ImapError, isThrottling, throttledError, type CommandFailure } from "./errors.js";
import type { FetchAnswer, FetchItem } from "./fetchAnswer.js";
import type { FetchLineCounts } from "./fetchLine.js";
import { addGmailLabels, gmailLabels, gmailMessageIds } from "./gmail.js";
import { ArrivalWatch } from "./idle.js";
import { imapflowInternals, type Internals } from "./imapflowInternals.js";
import { searchGroups, searchQuery } from "./search.js";
import { uidFetch } from "./uidFetch.js";
import { peerCertificate, pinnedTlsOptions } from "./tls.js";
import { uidSet } from "./uidSet.js";

export interface SessionOptions {
  account: Account;
  secret: string;
  /** Milliseconds before a silent server is given up on. */
  timeoutMs?: number;
  /** Host name to address; the system resolver unless a test injects one. */
  resolve?: (host: string) => Promise<string>;
  /** False: imapflow's public API only, as when its internals fail the check (tests run both paths). */
  internals?: boolean;
}

const systemResolve = async (host: string): Promise<string> => (await lookup(host)).address;

const addressList = (list: { address?: string | undefined }[] | undefined): string[] =>
  (list ?? []).map((a) => a.address?.toLowerCase() ?? "").filter((a) => a.includes("@"));

/** A certificate error with the server's fingerprint, so the user can compare it and pin it. */
async function withFingerprint(error: ImapError, account: Account, address: string, timeoutMs: number): Promise<ImapError> {
  try {
    const cert = await peerCertificate(account, timeoutMs, address);
    return new ImapError("certificate", `${error.message} Its SHA-256 fingerprint is ${cert.fingerprint256}.`, cert.fingerprint256);
  } catch {
    return error;
  }
}

export class ImapSession implements ImapPort {
  private arrivals: ArrivalWatch | null = null;

  private constructor(
    private readonly client: ImapFlow,
    readonly account: Account,
    private readonly failures: FailureRecorder,
    /** FETCH lines read by fetchLine.ts rather than imapflow's parser: a test's and a profile's view. */
    readonly fetchLines: Readonly<FetchLineCounts>,
    /** imapflow's internals for the fast path; null: its public API. */
    private readonly internals: Internals | null,
  ) {}

  /** True when this session reads FETCH answers on the fast path (see imapflowInternals.ts). */
  get fastPath(): boolean {
    return this.internals !== null;
  }

  /** Connects and logs in, or throws an {@link ImapError} whose message a user understands. */
  static async open({ account, secret, timeoutMs = 30_000, resolve = systemResolve, internals: useInternals = true }: SessionOptions): Promise<ImapSession> {
    if (account.security === "plain" && !isLoopback(account.host)) {
      throw new ImapError("config", `Plain-text IMAP is allowed only to this computer (127.0.0.1, ::1, localhost); ${account.host} needs TLS or STARTTLS.`);
    }
    // Resolved here, once, so a DNS failure has its own words and TLS still checks the name.
    const name = account.host.replace(/^\[|\]$/g, "");
    let address = name;
    try {
      if (isIP(name) === 0) address = await resolve(name);
    } catch (error) {
      throw describeImapError(error, account);
    }
    const failures = new FailureRecorder();
    const tls = account.pinnedFingerprint
      ? await pinnedTlsOptions(account, timeoutMs, address).catch((e: unknown) => Promise.reject(describeImapError(e, account)))
      : {};
    const client = new ImapFlow({
      host: address,
      ...(isIP(name) === 0 ? { servername: name } : {}),
      port: account.port,
      secure: account.security === "tls",
      doSTARTTLS: account.security === "starttls" ? true : account.security === "plain" ? false : undefined,
      // An OAuth2 account's secret here is its access token (XOAUTH2 / OAUTHBEARER).
      auth: account.oauth ? { user: account.user, accessToken: secret } : { user: account.user, pass: secret },
      tls,
      logger: failures.logger,
      disableAutoIdle: true,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: Math.max(timeoutMs * 4, 120_000),
    });
    client.on("error", () => undefined); // errors surface through the failing command
    const fetchLines: FetchLineCounts = { fast: 0 };
    const internals = useInternals ? imapflowInternals(client) : null;
    internals?.readFetchLinesFirst(fetchLines);
    try {
      await client.connect();
    } catch (error) {
      client.close();
      const described = describeImapError(error, account);
      if (described.kind === "certificate" && !described.fingerprint) throw await withFingerprint(described, account, address, timeoutMs);
      throw described;
    }
    return new ImapSession(client, account, failures, fetchLines, internals);
  }

  /**
   * The error for a command that returned `false`: the connection is gone (worth a reconnect),
   * the folder is over quota, or the server said no, with its own words.
   */
  private refused(what: string): ImapError {
    const e = this.failures.last ?? {};
    this.failures.last = null;
    const code = typeof e.code === "string" ? e.code : "";
    const said = typeof e.responseText === "string" && e.responseText ? e.responseText : typeof e.message === "string" ? e.message : "";
    if (!this.client.usable || code === "NoConnection" || code === "EConnectionClosed") {
      return new ImapError("connection", `The connection to ${this.account.host}:${this.account.port} was lost while trying to ${what}.`);
    }
    if (isThrottling(e.serverResponseCode, said)) return throttledError(this.account, said);
    if (e.serverResponseCode === "OVERQUOTA" || /quota/i.test(said)) {
      return new ImapError(
        "quota",
        `Could not ${what}: the mailbox is full (the server's quota is exceeded${said ? `: "${said}"` : ""}). Nothing was lost; free some space on the server, or choose another destination, and run it again.`,
      );
    }
    return new ImapError("protocol", `The server refused to ${what}${said ? `: "${said}"` : "."}`);
  }

  has(capability: string): boolean {
    return this.client.capabilities.has(capability);
  }

  /** Raw bytes read from the server's socket since the session opened. */
  bytesRead(): number {
    return this.client.stats().received;
  }

  /** The personal namespace's prefix and hierarchy delimiter. */
  namespace(): { prefix: string; delimiter: string } {
    const ns = this.client.namespace;
    return { prefix: ns?.prefix ?? "", delimiter: ns?.delimiter ?? "/" };
  }

  async folders(): Promise<FolderInfo[]> {
    const list = await this.client.list();
    return list.map((m) => ({ path: m.path, name: m.name, delimiter: m.delimiter ?? "/", specialUse: m.specialUse ?? null, flags: [...(m.flags ?? [])] }));
  }

  async status(path: string): Promise<FolderStatus | null> {
    const s = await this.client.status(path, { messages: true, uidNext: true, uidValidity: true, highestModseq: true }).catch((error: unknown) => {
      // A folder that is not there (any more) is an answer, not a failure.
      const e = error as CommandFailure;
      if (e.serverResponseCode === "NONEXISTENT" || /doesn't exist|does not exist|no such/i.test(`${String(e.responseText ?? "")} ${String(e.message ?? "")}`))
        return false as const;
      throw error;
    });
    if (!s) {
      if (!this.client.usable) throw this.refused(`read the status of ${path}`);
      return null;
    }
    return {
      messages: s.messages ?? 0,
      uidNext: s.uidNext ?? 0,
      uidValidity: Number(s.uidValidity ?? 0),
      highestModseq: s.highestModseq === undefined ? null : String(s.highestModseq),
    };
  }

  async createFolder(path: string): Promise<void> {
    await this.client.mailboxCreate(path);
    await this.client.mailboxSubscribe(path);
  }

  /**
   * Runs `fn` with `path` selected (read-write, or EXAMINEd when `readOnly`) under a lock released
   * in all cases. `fn` gets the folder's numbers from the SELECT: the same a STATUS would give.
   */
  async inFolder<T>(path: string, fn: (open: FolderStatus) => Promise<T>, { readOnly = false }: { readOnly?: boolean } = {}): Promise<T> {
    const lock = await this.client.getMailboxLock(path, { readOnly });
    try {
      return await fn(this.opened(path));
    } finally {
      lock.release();
    }
  }

  /**
   * Opens `path` read-only (EXAMINE) and leaves it open, for a connection that reads nothing else
   * and one command at a time (a read-ahead reader), so no lock is needed.
   */
  async examine(path: string): Promise<FolderStatus> {
    await this.client.mailboxOpen(path, { readOnly: true });
    return this.opened(path);
  }

  /** The open folder's numbers from its SELECT or EXAMINE: the same a STATUS would give. */
  private opened(path: string): FolderStatus {
    const mb = this.client.mailbox;
    if (!mb) throw new ImapError("protocol", `The server did not open the folder ${path}.`);
    const highestModseq = mb.highestModseq === undefined ? null : String(mb.highestModseq);
    return { uidValidity: Number(mb.uidValidity), uidNext: mb.uidNext, messages: mb.exists, highestModseq };
  }

  /** UID FETCH of `items` for the UIDs in `range` of the selected folder (see uidFetch.ts). */
  private fetchAnswers(range: string, items: readonly FetchItem[]): Promise<FetchAnswer[]> {
    if (!this.client.mailbox) throw new ImapError("protocol", "No folder was open to read messages from.");
    return uidFetch(this.client, this.internals, this.account, range, items);
  }

  /** ENVELOPE (and flags, unless the caller has no use for them) of `range` (UIDs) in the selected folder. */
  async envelopes(range: string, { flags = true }: { flags?: boolean } = {}): Promise<EnvelopeRow[]> {
    const rows = await this.fetchAnswers(range, flags ? ["ENVELOPE", "FLAGS"] : ["ENVELOPE"]);
    return rows.map((m) => ({
      uid: m.uid,
      messageId: m.envelope?.messageId ?? null,
      date: envelopeTime(m.envelope?.date),
      subject: m.envelope?.subject ?? null,
      from: addressList(m.envelope?.from),
      to: [...addressList(m.envelope?.to), ...addressList(m.envelope?.cc), ...addressList(m.envelope?.bcc)],
      flags: m.flags ?? new Set<string>(),
    }));
  }

  /**
   * Phase 1 of a scan: ENVELOPE and BODYSTRUCTURE of `range` (UIDs), what any client reads, and
   * whether each is flagged \Deleted. One UID SEARCH answers that in a few bytes where FLAGS
   * would repeat every message's flags.
   */
  async triageRows(range: string): Promise<TriageRow[]> {
    const deleted = new Set(this.searched(await this.client.search({ uid: range, deleted: true }, { uid: true }), "search the folder"));
    const rows = await this.fetchAnswers(range, ["ENVELOPE", "BODYSTRUCTURE"]);
    return rows.map((m) => ({ uid: m.uid, deleted: deleted.has(m.uid), envelope: m.envelope ?? {}, structure: m.structure }));
  }

  /** The named header fields (`BODY.PEEK[HEADER.FIELDS (...)]`) of several messages. */
  async headerFields(uids: readonly number[], fields: readonly string[]): Promise<Map<number, Buffer>> {
    const rows = await this.fetchAnswers(uidSet(uids), [{ section: "HEADER.FIELDS", fields }]);
    return new Map(rows.map((m) => [m.uid, m.sections.get("HEADER.FIELDS") ?? Buffer.alloc(0)]));
  }

  /**
   * Phase 2: the chosen sections of several messages that need the same ones, each from its
   * start and capped, and with them (when `fields` are named) those header fields, so that a
   * message is opened on the server once.
   */
  async sections(uids: readonly number[], requests: readonly SectionRead[], fields: readonly string[] = []): Promise<Map<number, FetchedSections>> {
    const section = (r: SectionRead): string => (r.section === "header" ? `${r.part}.HEADER` : r.section === "trace" ? `${r.part}.HEADER.FIELDS` : r.part);
    const items: FetchItem[] = requests.map((r) => ({
      section: section(r),
      ...(r.section === "trace" ? { fields: TRACE_FIELDS } : {}),
      start: r.start ?? 0,
      maxBytes: r.maxBytes,
    }));
    if (fields.length > 0) items.push({ section: "HEADER.FIELDS", fields });
    const out = new Map<number, FetchedSections>();
    for (const m of await this.fetchAnswers(uidSet(uids), items)) {
      const parts = new Map<string, Buffer>();
      for (const r of requests) {
        const value = m.sections.get(section(r).toUpperCase());
        if (value) parts.set(sectionKey(r.part, r.section), value);
      }
      out.set(m.uid, { parts, fields: fields.length > 0 ? (m.sections.get("HEADER.FIELDS") ?? null) : null });
    }
    return out;
  }

  /** The quota of the root `path` belongs to (bytes of storage, number of messages), where the server says (QUOTA). */
  async quota(path: string): Promise<{ storage: { used: number; limit: number } | null; messages: { used: number; limit: number } | null } | null> {
    if (!this.has("QUOTA")) return null;
    const q = await this.client.getQuota(path);
    if (!q) return null;
    const pick = (r: { usage?: number | undefined; limit?: number | undefined } | undefined) =>
      r && r.usage !== undefined && r.limit !== undefined ? { used: r.usage, limit: r.limit } : null;
    return { storage: pick(q.storage), messages: pick(q.message ?? (q["messages"] as { usage?: number; limit?: number } | undefined)) };
  }

  /** The total size in bytes of the selected folder's messages (RFC822.SIZE of each: a few bytes per message). */
  async folderBytes(): Promise<number> {
    if (!this.client.mailbox || this.client.mailbox.exists === 0) return 0;
    const rows = await this.fetchAnswers("1:*", ["RFC822.SIZE"]);
    return rows.reduce((n, m) => n + (m.size ?? 0), 0);
  }

  /** A SEARCH answer; `false` (failed) or undefined (no folder open any more) must not read as "nothing found". */
  private searched(found: number[] | false | undefined, what: string): number[] {
    if (!found) throw this.refused(what);
    return found;
  }

  /** The first `bytes` of a whole message: for messages whose structure the server cannot describe. */
  async prefix(uid: number, bytes: number): Promise<Buffer> {
    const rows = await this.fetchAnswers(String(uid), [{ section: "", start: 0, maxBytes: bytes }]);
    return rows[0]?.sections.get("") ?? Buffer.alloc(0);
  }

  /** UIDs of the live (not \Deleted) messages in `range` of the selected folder, in order. */
  async liveUids(range: string): Promise<number[]> {
    return this.searched(await this.client.search({ uid: range, deleted: false }, { uid: true }), "search the folder").sort((a, b) => a - b);
  }

  /**
   * UIDs of the live messages in `range` that meet any of `criteria` (UID SEARCH, the scan's
   * server-side first pass), in order. The criteria go in commands of a few KB each: servers
   * may refuse longer lines (RFC 7162 asks them to take 8,192 octets).
   */
  async liveUidsMeetingAny(range: string, criteria: readonly SearchCriterion[]): Promise<number[]> {
    const found = new Set<number>();
    for (const group of searchGroups(criteria)) {
      for (const uid of this.searched(await this.client.search(searchQuery(range, group), { uid: true }), "search the folder")) found.add(uid);
    }
    return [...found].sort((a, b) => a - b);
  }

  /** UIDs in the selected folder of live (not \Deleted) messages with this Message-ID. */
  async findByMessageId(messageId: string): Promise<number[]> {
    return this.searched(await this.client.search({ header: { "message-id": messageId }, deleted: false }, { uid: true }), "search the folder");
  }

  /** UID MOVE. Only on servers that announce MOVE. Returns source → destination UIDs when known. */
  async move(uids: readonly number[], destination: string): Promise<Map<number, number> | null> {
    if (!this.has("MOVE")) throw new ImapError("protocol", "The server does not support MOVE.");
    this.failures.last = null;
    const r = await this.client.messageMove(uidSet(uids), destination, { uid: true });
    return this.transferred(r, `move messages to ${destination}`);
  }

  /** UID COPY; returns source → destination UIDs when the server reports them (UIDPLUS COPYUID). */
  async copy(uids: readonly number[], destination: string): Promise<Map<number, number> | null> {
    this.failures.last = null;
    const r = await this.client.messageCopy(uidSet(uids), destination, { uid: true });
    return this.transferred(r, `copy messages to ${destination}`);
  }

  /**
   * The answer to a MOVE or COPY. imapflow hands back a result even for some NO answers (it logs
   * them): "some of the requested messages no longer exist" (EXPUNGEISSUED; Dovecot then moves
   * none) gives null, so the caller verifies each message; any other NO is a refusal in words.
   */
  private transferred(r: { uidMap?: Map<number, number> | undefined } | false | undefined, what: string): Map<number, number> | null {
    const failure = this.failures.last as (CommandFailure & { responseStatus?: unknown }) | null;
    if (!r) throw this.refused(what);
    if (failure?.responseStatus === "NO") {
      const text = typeof failure.responseText === "string" ? failure.responseText : "";
      if (failure.serverResponseCode === "EXPUNGEISSUED" || /no longer exist/i.test(text)) {
        this.failures.last = null;
        return null;
      }
      throw this.refused(what);
    }
    return r.uidMap ?? null;
  }

  async flagDeleted(uids: readonly number[]): Promise<void> {
    const ok = await this.client.messageFlagsAdd(uidSet(uids), ["\\Deleted"], { uid: true });
    if (!ok) throw this.refused("flag messages");
  }

  /** UID EXPUNGE of exactly these UIDs. Never a plain EXPUNGE: that would remove the user's own \Deleted mail. */
  async expungeExactly(uids: readonly number[]): Promise<void> {
    if (!this.has("UIDPLUS")) throw new ImapError("protocol", "The server does not support UID EXPUNGE (UIDPLUS).");
    if (!this.internals) {
      // imapflow sends UID EXPUNGE of the set when asked by UID on a server with UIDPLUS (checked above).
      if (!(await this.client.messageDelete(uidSet(uids), { uid: true }))) throw this.refused("remove the moved messages");
      return;
    }
    (await this.internals.exec("UID EXPUNGE", [{ type: "SEQUENCE", value: uidSet(uids) }])).next();
  }

  labels(uids: readonly number[]): Promise<Map<number, string[]>> {
    return gmailLabels(this.client, uids);
  }

  gmailIds(uids: readonly number[]): Promise<Map<number, string>> {
    return gmailMessageIds(this.client, uids);
  }

  async addLabels(uids: readonly number[], labels: readonly string[]): Promise<void> {
    if (!(await addGmailLabels(this.client, uids, labels))) throw this.refused("give back the messages' labels");
  }

  waitForNewMail(path: string, maxMs: number, signal: AbortSignal): Promise<WaitResult> {
    this.arrivals ??= new ArrivalWatch(this.client, this.account);
    return this.arrivals.wait(path, maxMs, signal);
  }

  async close(): Promise<void> {
    try {
      await this.client.logout();
    } catch {
      this.client.close();
    }
  }
}
