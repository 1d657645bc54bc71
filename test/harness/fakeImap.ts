/**
 * An IMAP server in memory, behind the engine's ImapPort: folders of messages with UIDs, flags
 * and UIDVALIDITY, answering the verbs the engine uses as Dovecot does (ENVELOPE and
 * BODYSTRUCTURE from our own parse, see structure.ts). Hooks let a test do what another mail
 * program or a flaky server does between two commands: expunge a message before our MOVE, move
 * only part of a set, drop the connection at the n-th command. Unit tests of the scanner, the
 * mover, the operation runner and the sent indexer run on it in milliseconds; Dovecot stays for
 * the contract and integration tests.
 */
import type { SearchCriterion } from "../../electron/engine/ports.js";
import { ImapError } from "../../electron/engine/imap/errors.js";
import { sectionKey, type SectionRead } from "../../electron/engine/mime/imapStructure.js";
import { parseHeaderBlock, type Headers } from "../../electron/engine/mime/headers.js";
import { parseMessage } from "../../electron/engine/mime/tree.js";
import { envelopeTime } from "../../electron/engine/mime/envelope.js";
import type { EnvelopeRow, FetchedSections, FolderInfo, FolderStatus, ImapPort, TriageRow, WaitResult } from "../../electron/engine/ports.js";
import type { Account } from "../../shared/model.js";
import { envelopeOf, headerFieldsOf, serverSections, structureOf } from "./structure.js";

export interface FakeMessage {
  uid: number;
  raw: string;
  flags: Set<string>;
  /** Gmail's labels (with X-GM-EXT-1): the folder's own is added and taken off by moves. */
  labels?: Set<string>;
  /** Gmail's X-GM-MSGID: the same for one message under every label. */
  gmailId?: string;
}

export interface FakeFolder {
  uidValidity: number;
  uidNext: number;
  messages: FakeMessage[];
}

/** What the server does besides answering: each hook runs before the command it names goes through. */
export interface FakeBehaviour {
  /** Called before each command with its verb; may change the folders (another program's doing) or throw. */
  before?: (verb: string, args: readonly unknown[]) => void;
  /** How UID MOVE answers: all moved with COPYUID (default), moved without COPYUID, or only the first half moved. */
  move?: "all" | "no-uids" | "half";
  /** Gmail: a MOVE also loses the message's other labels (as when a label was taken off on the way). */
  dropLabelsOnMove?: boolean;
}

const addressesOf = (list: { address?: string | undefined }[] | undefined): string[] =>
  (list ?? []).map((a) => a.address?.toLowerCase() ?? "").filter((a) => a.includes("@"));

/** `first:last` sets (and `n`, `a,b`, `*`) of UIDs, against the folder's UIDs. */
function inSet(set: string, uid: number, max: number): boolean {
  return set.split(",").some((part) => {
    const [a = "", b = a] = part.split(":");
    const lo = a === "*" ? max : Number(a);
    const hi = b === "*" ? max : Number(b);
    return uid >= Math.min(lo, hi) && uid <= Math.max(lo, hi);
  });
}

export class FakeImapServer {
  readonly folders = new Map<string, FakeFolder>();
  /** Every command, as `VERB folder args`, in order. */
  readonly commands: string[] = [];
  behaviour: FakeBehaviour = {};
  private nextValidity = 1000;
  /** Sessions waiting for new mail (an IDLE), woken by every append and by a dropped connection. */
  readonly waiters = new Set<() => void>();

  constructor(readonly capabilities: Set<string> = new Set(["MOVE", "UIDPLUS", "SPECIAL-USE", "IDLE"])) {
    for (const f of ["INBOX", "Sent"]) this.addFolder(f);
  }

  addFolder(path: string): FakeFolder {
    const folder: FakeFolder = { uidValidity: this.nextValidity++, uidNext: 1, messages: [] };
    this.folders.set(path, folder);
    return folder;
  }

  append(path: string, raw: string, flags: readonly string[] = []): number {
    const folder = this.folders.get(path) ?? this.addFolder(path);
    const uid = folder.uidNext++;
    folder.messages.push({ uid, raw, flags: new Set(flags) });
    for (const wake of this.waiters) wake();
    return uid;
  }

  /** The folder emptied and given a new UIDVALIDITY, its messages appended again (a server rebuilding its index). */
  renumber(path: string): void {
    const old = this.folders.get(path);
    this.addFolder(path);
    for (const m of old?.messages ?? []) this.append(path, m.raw, [...m.flags]);
  }

  /** Message-IDs of the live messages of a folder, sorted. */
  liveIds(path: string): string[] {
    return (this.folders.get(path)?.messages ?? [])
      .filter((m) => !m.flags.has("\\Deleted"))
      .map((m) => messageIdOf(m.raw))
      .sort();
  }

  connect(account: Account): FakeSession {
    return new FakeSession(this, account);
  }
}

export function messageIdOf(raw: string): string {
  return (headersOf(raw).raw("message-id") ?? "").trim().replace(/^<|>$/g, "");
}

function headersOf(raw: string): Headers {
  const end = raw.search(/\r?\n\r?\n/);
  return parseHeaderBlock(end < 0 ? raw : raw.slice(0, end));
}

/** One logged-in connection to a {@link FakeImapServer}. */
export class FakeSession implements ImapPort {
  private open: { path: string; folder: FakeFolder } | null = null;
  private watched: { path: string; uidNext: number } | null = null;
  private read = 0;
  closed = false;

  constructor(
    private readonly server: FakeImapServer,
    readonly account: Account,
  ) {}

  private command(verb: string, ...args: unknown[]): void {
    if (this.closed) throw new ImapError("connection", "The connection was closed.");
    this.server.commands.push([verb, this.open?.path ?? "-", ...args.map((a) => (typeof a === "string" ? a : JSON.stringify(a)))].join(" "));
    this.server.behaviour.before?.(verb, args);
  }

  private selected(): FakeFolder {
    if (!this.open) throw new ImapError("protocol", "No folder was open to read messages from.");
    return this.open.folder;
  }

  private inRange(range: string): FakeMessage[] {
    const folder = this.selected();
    return folder.messages.filter((m) => inSet(range, m.uid, folder.uidNext - 1));
  }

  private counted<T>(value: T, bytes: number): T {
    this.read += bytes;
    return value;
  }

  has(capability: string): boolean {
    return this.server.capabilities.has(capability);
  }

  bytesRead(): number {
    return this.read;
  }

  namespace(): { prefix: string; delimiter: string } {
    return { prefix: "", delimiter: "/" };
  }

  async folders(): Promise<FolderInfo[]> {
    this.command("LIST");
    const special: Record<string, string> = { Sent: "\\Sent", Junk: "\\Junk" };
    return [...this.server.folders.keys()].map((path) => ({
      path,
      name: path.split("/").pop() ?? path,
      delimiter: "/",
      specialUse: special[path] ?? null,
      flags: [],
    }));
  }

  private statusOf(folder: FakeFolder): FolderStatus {
    return { messages: folder.messages.length, uidNext: folder.uidNext, uidValidity: folder.uidValidity, highestModseq: null };
  }

  async status(path: string): Promise<FolderStatus | null> {
    this.command("STATUS", path);
    const folder = this.server.folders.get(path);
    return folder ? this.statusOf(folder) : null;
  }

  async createFolder(path: string): Promise<void> {
    this.command("CREATE", path);
    if (!this.server.folders.has(path)) this.server.addFolder(path);
  }

  async inFolder<T>(path: string, fn: (open: FolderStatus) => Promise<T>, { readOnly = false }: { readOnly?: boolean } = {}): Promise<T> {
    this.command(readOnly ? "EXAMINE" : "SELECT", path);
    const folder = this.server.folders.get(path);
    if (!folder) throw new ImapError("protocol", `The server refused to open ${path}: "Mailbox doesn't exist"`);
    this.open = { path, folder };
    try {
      return await fn(this.statusOf(folder));
    } finally {
      this.open = null;
    }
  }

  async envelopes(range: string, { flags = true }: { flags?: boolean } = {}): Promise<EnvelopeRow[]> {
    this.command("FETCH ENVELOPE", range);
    return this.inRange(range).map((m) => {
      const env = envelopeOf(headersOf(m.raw));
      return this.counted(
        {
          uid: m.uid,
          messageId: env.messageId ?? null,
          date: envelopeTime(env.date),
          subject: env.subject ?? null,
          from: addressesOf(env.from),
          to: [...addressesOf(env.to), ...addressesOf(env.cc)],
          flags: flags ? new Set(m.flags) : new Set<string>(),
        },
        300,
      );
    });
  }

  async triageRows(range: string): Promise<TriageRow[]> {
    this.command("FETCH ENVELOPE BODYSTRUCTURE", range);
    return this.inRange(range).map((m) =>
      this.counted(
        { uid: m.uid, deleted: m.flags.has("\\Deleted"), envelope: envelopeOf(headersOf(m.raw)), structure: structureOf(parseMessage(m.raw).root) },
        600,
      ),
    );
  }

  async headerFields(uids: readonly number[], fields: readonly string[]): Promise<Map<number, Buffer>> {
    this.command("FETCH HEADER.FIELDS", uids.join(","));
    const wanted = new Set(uids);
    return new Map(
      this.selected()
        .messages.filter((m) => wanted.has(m.uid))
        .map((m) => [m.uid, this.counted(Buffer.from(headerFieldsOf(m.raw, fields), "latin1"), 100)]),
    );
  }

  async sections(uids: readonly number[], requests: readonly SectionRead[], fields: readonly string[] = []): Promise<Map<number, FetchedSections>> {
    this.command("FETCH sections", uids.join(","));
    const wanted = new Set(uids);
    const out = new Map<number, FetchedSections>();
    for (const m of this.selected().messages.filter((x) => wanted.has(x.uid))) {
      const all = serverSections(parseMessage(m.raw).root);
      const parts = new Map<string, Buffer>();
      for (const r of requests) {
        const whole = all.get(sectionKey(r.part, r.section));
        if (whole) parts.set(sectionKey(r.part, r.section), this.counted(whole.subarray(r.start ?? 0, (r.start ?? 0) + r.maxBytes), whole.length));
      }
      out.set(m.uid, { parts, fields: fields.length > 0 ? Buffer.from(headerFieldsOf(m.raw, fields), "latin1") : null });
    }
    return out;
  }

  async liveUids(range: string): Promise<number[]> {
    this.command("SEARCH UNDELETED", range);
    return this.inRange(range)
      .filter((m) => !m.flags.has("\\Deleted"))
      .map((m) => m.uid);
  }

  /** As Dovecot compares: a case-insensitive substring of the header field (any value for ""), of the decoded Subject, of the From field. */
  async liveUidsMeetingAny(range: string, criteria: readonly SearchCriterion[]): Promise<number[]> {
    this.command("SEARCH OR", range);
    const meets = (h: Headers, c: SearchCriterion): boolean => {
      const values = "field" in c ? h.rawAll(c.field) : "subject" in c ? [h.text("subject") ?? ""] : [h.text("from") ?? ""];
      const wanted = ("field" in c ? c.value : "subject" in c ? c.subject : c.from).toLowerCase();
      return values.some((v) => v.toLowerCase().includes(wanted));
    };
    return this.inRange(range)
      .filter((m) => !m.flags.has("\\Deleted") && criteria.some((c) => meets(headersOf(m.raw), c)))
      .map((m) => m.uid);
  }

  async quota(): Promise<null> {
    return null;
  }

  async folderBytes(): Promise<number> {
    return this.selected().messages.reduce((n, m) => n + m.raw.length, 0);
  }

  async prefix(uid: number, bytes: number): Promise<Buffer> {
    this.command("FETCH BODY[]", uid);
    const m = this.selected().messages.find((x) => x.uid === uid);
    return Buffer.from((m?.raw ?? "").slice(0, bytes), "latin1");
  }

  async findByMessageId(messageId: string): Promise<number[]> {
    this.command("SEARCH HEADER Message-ID", messageId);
    return this.selected()
      .messages.filter((m) => !m.flags.has("\\Deleted") && messageIdOf(m.raw) === messageId.replace(/^<|>$/g, ""))
      .map((m) => m.uid);
  }

  /** Copies `uids` (those still here) to `destination`: source → destination UIDs. */
  private transfer(uids: readonly number[], destination: string, remove: boolean): Map<number, number> {
    const from = this.selected();
    const to = this.server.folders.get(destination);
    if (!to) throw new ImapError("protocol", `The server refused: "[TRYCREATE] Mailbox doesn't exist: ${destination}"`);
    const map = new Map<number, number>();
    for (const m of from.messages.filter((x) => uids.includes(x.uid))) {
      const uid = to.uidNext++;
      to.messages.push({
        uid,
        raw: m.raw,
        flags: new Set([...m.flags].filter((f) => f !== "\\Deleted")),
        ...this.labelsAfter(m, destination, remove),
        ...(m.gmailId ? { gmailId: m.gmailId } : {}),
      });
      map.set(m.uid, uid);
    }
    if (remove) from.messages = from.messages.filter((m) => !map.has(m.uid));
    return map;
  }

  /** Gmail's labels of a message copied or moved to `destination`: the source's label off (a move), the destination's on. */
  private labelsAfter(m: FakeMessage, destination: string, move: boolean): Pick<FakeMessage, "labels"> {
    if (!m.labels) return {};
    const label = (path: string): string => (path === "INBOX" ? "\\Inbox" : path);
    const kept = this.server.behaviour.dropLabelsOnMove && move ? [] : [...m.labels].filter((l) => !move || l !== label(this.open?.path ?? ""));
    return { labels: new Set([...kept, label(destination)]) };
  }

  async labels(uids: readonly number[]): Promise<Map<number, string[]>> {
    this.command("FETCH X-GM-LABELS", uids.join(","));
    return new Map(
      this.selected()
        .messages.filter((m) => uids.includes(m.uid))
        .map((m) => [m.uid, [...(m.labels ?? [])]]),
    );
  }

  async gmailIds(uids: readonly number[]): Promise<Map<number, string>> {
    this.command("FETCH X-GM-MSGID", uids.join(","));
    return new Map(this.selected().messages.flatMap((m) => (uids.includes(m.uid) && m.gmailId ? [[m.uid, m.gmailId] as const] : [])));
  }

  async addLabels(uids: readonly number[], labels: readonly string[]): Promise<void> {
    this.command("STORE +X-GM-LABELS", uids.join(","), labels.join(" "));
    for (const m of this.selected().messages) if (uids.includes(m.uid)) for (const l of labels) (m.labels ??= new Set()).add(l);
  }

  async move(uids: readonly number[], destination: string): Promise<Map<number, number> | null> {
    this.command("MOVE", uids.join(","), destination);
    if (!this.has("MOVE")) throw new ImapError("protocol", "The server does not support MOVE.");
    const mode = this.server.behaviour.move ?? "all";
    // Dovecot moves none of a set when one of it was expunged meanwhile (EXPUNGEISSUED).
    const present = new Set(this.selected().messages.map((m) => m.uid));
    if (uids.some((u) => !present.has(u))) return null;
    const map = this.transfer(mode === "half" ? uids.slice(0, Math.ceil(uids.length / 2)) : uids, destination, true);
    return mode === "no-uids" ? null : map;
  }

  async copy(uids: readonly number[], destination: string): Promise<Map<number, number> | null> {
    this.command("COPY", uids.join(","), destination);
    const map = this.transfer(uids, destination, false);
    return this.has("UIDPLUS") ? map : null;
  }

  async flagDeleted(uids: readonly number[]): Promise<void> {
    this.command("STORE +FLAGS \\Deleted", uids.join(","));
    for (const m of this.selected().messages) if (uids.includes(m.uid)) m.flags.add("\\Deleted");
  }

  async expungeExactly(uids: readonly number[]): Promise<void> {
    this.command("UID EXPUNGE", uids.join(","));
    if (!this.has("UIDPLUS")) throw new ImapError("protocol", "The server does not support UID EXPUNGE (UIDPLUS).");
    const folder = this.selected();
    folder.messages = folder.messages.filter((m) => !(uids.includes(m.uid) && m.flags.has("\\Deleted")));
  }

  /**
   * IDLE as Dovecot answers it: mail appended since the folder was first waited on (or since the
   * last wait) has arrived; a connection dropped meanwhile ({@link drop}) is an error.
   */
  async waitForNewMail(path: string, maxMs: number, signal: AbortSignal): Promise<WaitResult> {
    this.command("IDLE", path);
    const uidNext = (): number => this.server.folders.get(path)?.uidNext ?? 1;
    if (this.watched?.path !== path) this.watched = { path, uidNext: uidNext() };
    const seen = this.watched;
    if (uidNext() === seen.uidNext && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.server.waiters.delete(done);
          signal.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, maxMs);
        this.server.waiters.add(done);
        signal.addEventListener("abort", done, { once: true });
      });
    }
    if (this.closed) throw new ImapError("connection", "The connection was lost while waiting for new mail.");
    const arrived = uidNext() > seen.uidNext;
    seen.uidNext = uidNext();
    return arrived ? "arrived" : "quiet";
  }

  /** The server drops this connection (a waiting one notices at once). */
  drop(): void {
    this.closed = true;
    for (const wake of this.server.waiters) wake();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
