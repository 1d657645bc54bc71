/**
 * The seams of the engine: what its operations ask of the world, as interfaces. The adapters
 * implement them (the store over SQLite in db/, the IMAP session over imapflow in imap/), and
 * tests hand in fakes (test/harness/fakeImap.ts). Types only: this file runs nothing.
 */
import type { Account, AccountInput, DkimTag, Item, ItemState, Report, Verdict, VerdictKind } from "../../shared/model.js";
import type { Envelope } from "./mime/envelope.js";
import type { ImapBodyStructure, SectionRead } from "./mime/imapStructure.js";

// ---- IMAP -------------------------------------------------------------------------------------

/** One SEARCH key: a header field holding `value` ("" for any value: the field is there), or SUBJECT / FROM text. */
export type SearchCriterion = { field: string; value: string } | { subject: string } | { from: string };

export interface FolderInfo {
  path: string;
  name: string;
  delimiter: string;
  specialUse: string | null;
  flags: string[];
}

/** A folder's numbers as STATUS, SELECT or EXAMINE give them. */
export interface FolderStatus {
  messages: number;
  uidNext: number;
  uidValidity: number;
  highestModseq: string | null;
}

export interface EnvelopeRow {
  uid: number;
  messageId: string | null;
  date: number | null;
  subject: string | null;
  from: string[];
  to: string[];
  flags: Set<string>;
}

/** Phase 1 of a scan: a message's ENVELOPE and BODYSTRUCTURE. */
export interface TriageRow {
  uid: number;
  /** Flagged \Deleted: on its way out (ours, on a server without UIDPLUS, or the user's). */
  deleted: boolean;
  envelope: Envelope;
  structure: ImapBodyStructure | undefined;
}

/** What one message gave in a phase 2 fetch: sections by their sectionKey, and the header fields asked for. */
export interface FetchedSections {
  parts: Map<string, Buffer>;
  fields: Buffer | null;
}

/**
 * The IMAP verbs the engine uses, on one logged-in connection, each following DESIGN.md's IMAP
 * rules (reads with BODY.PEEK only, one folder open at a time, every result checked, never a
 * plain EXPUNGE). UIDs are of the folder open in {@link inFolder}; a `range` is a UID set.
 */
export interface ImapPort {
  readonly account: Account;
  has(capability: string): boolean;
  /** Bytes read from the server so far. */
  bytesRead(): number;
  namespace(): { prefix: string; delimiter: string };
  folders(): Promise<FolderInfo[]>;
  /** Null when the folder does not exist. */
  status(path: string): Promise<FolderStatus | null>;
  createFolder(path: string): Promise<void>;
  /** Opens `path` (SELECT, or EXAMINE when read-only), runs `fn`, and lets the folder go whatever happens. */
  inFolder<T>(path: string, fn: (open: FolderStatus) => Promise<T>, options?: { readOnly?: boolean }): Promise<T>;
  envelopes(range: string, options?: { flags?: boolean }): Promise<EnvelopeRow[]>;
  triageRows(range: string): Promise<TriageRow[]>;
  /** The named header fields of each message. */
  headerFields(uids: readonly number[], fields: readonly string[]): Promise<Map<number, Buffer>>;
  /** The sections `requests` names of each message (and those header fields), in one FETCH. */
  sections(uids: readonly number[], requests: readonly SectionRead[], fields?: readonly string[]): Promise<Map<number, FetchedSections>>;
  liveUids(range: string): Promise<number[]>;
  liveUidsMeetingAny(range: string, criteria: readonly SearchCriterion[]): Promise<number[]>;
  quota(path: string): Promise<{ storage: { used: number; limit: number } | null; messages: { used: number; limit: number } | null } | null>;
  folderBytes(): Promise<number>;
  /** The first `bytes` of a whole message. */
  prefix(uid: number, bytes: number): Promise<Buffer>;
  findByMessageId(messageId: string): Promise<number[]>;
  /** UID MOVE; source → destination UIDs when the server says (null: verify each). */
  move(uids: readonly number[], destination: string): Promise<Map<number, number> | null>;
  copy(uids: readonly number[], destination: string): Promise<Map<number, number> | null>;
  flagDeleted(uids: readonly number[]): Promise<void>;
  /** UID EXPUNGE of exactly these UIDs (UIDPLUS only). */
  expungeExactly(uids: readonly number[]): Promise<void>;
  /**
   * Keeps `path` open on this connection (for watching: it does nothing else) and waits until new
   * mail arrives there ("arrived"), `maxMs` pass or `signal` aborts ("quiet"); with IDLE where the
   * server has it, else by a NOOP at the end of the wait. Mail that arrived between two waits counts.
   */
  waitForNewMail(path: string, maxMs: number, signal: AbortSignal): Promise<WaitResult>;
  /** Gmail (X-GM-EXT-1): the labels of each message of the selected folder (X-GM-LABELS). */
  labels(uids: readonly number[]): Promise<Map<number, string[]>>;
  /** Gmail (X-GM-EXT-1): each message's X-GM-MSGID, the same under every label. */
  gmailIds(uids: readonly number[]): Promise<Map<number, string>>;
  /** Gmail: adds labels to messages of the selected folder (STORE +X-GM-LABELS). */
  addLabels(uids: readonly number[], labels: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export type WaitResult = "arrived" | "quiet";

// ---- The sent index ---------------------------------------------------------------------------

/** What classify may ask of the sent index. Implemented over SQLite by the store. */
export interface IndexLookup {
  /** Date (ms) the user sent this Message-ID, null when sent but undated, undefined when never. */
  sentDate(messageId: string): number | null | undefined;
  /** True when the user ever wrote to this address. */
  wroteTo(address: string): boolean;
  /** True when the user sent mail with this subject to one of these addresses near this time. */
  sentSimilar(subject: string, recipients: readonly string[], around: number | null): boolean;
  /** Date (ms) of the oldest indexed sent message, null when the index is empty. */
  oldestSent: number | null;
  /** Domains of the user's own Message-IDs, learned from the index (most used first). */
  ownIdDomains: readonly string[];
  /** Message-ID domains or patterns of other systems that send as the user ("*.sendgrid.net"). */
  trustedPatterns: readonly string[];
  /** True when the user said mail about this recipient or domain is never backscatter. */
  allowed(address: string): boolean;
}

// ---- The store --------------------------------------------------------------------------------

/** Where the last pass over a folder (a scan, or the sent index) got to, with the folder's numbers then (uidNext 0 until the pass finished). */
export interface Checkpoint {
  uidValidity: number;
  lastUid: number;
  uidNext: number;
  messages: number;
  highestModseq: string | null;
}

export interface SentRow {
  messageId: string;
  date: number | null;
  subject: string | null;
  folder: string;
  recipients: string[];
  from: string[];
}

export interface ItemRow {
  accountId: number;
  folder: string;
  uidvalidity: number;
  uid: number;
  messageId: string | null;
  date: string | null;
  subject: string | null;
  from: string | null;
  report: Report;
  verdict: Verdict;
  /** The IP that handed the original to the outside world, where its header shows it. */
  originIp?: string | null;
  /** Gmail's X-GM-MSGID: one message, whichever label (folder) it was seen under. */
  gmailId?: string | null;
}

export interface JournalEntry {
  id: number;
  runId: number;
  itemId: number;
  op: "move" | "undo";
  srcFolder: string;
  srcUidvalidity: number;
  srcUid: number;
  destFolder: string;
  destUid: number | null;
  destUidnext: number | null;
  messageId: string | null;
  state: "planned" | "moving" | "done" | "failed";
}

export interface OwnRecord {
  /** The user's From addresses, from the sent index. */
  identities: string[];
  /** Relay hosts the user's own mail went out through. */
  relays: string[];
  /** The IPs those relays handed the user's mail to the outside world from. */
  relayIps: string[];
  /** The DKIM signatures the user's own mail carried. */
  dkim: DkimTag[];
  /** Bounces of the user's own mail came to BATV-signed addresses. */
  batvSigned: boolean;
}

/** What one report taught about the user's own mail. */
export interface Lesson {
  relays: readonly string[];
  relayIps: readonly string[];
  dkim: readonly DkimTag[];
  batv: boolean;
}

export interface CleanupCandidate {
  itemId: number;
  destUid: number;
  messageId: string | null;
}

export interface RunRow {
  id: number;
  kind: "scan" | "move" | "undo" | "index";
  startedAt: number;
  finishedAt: number | null;
  summary: Record<string, unknown> | null;
  /** A move run with messages still where it put them. */
  undoable: boolean;
}

/** What a server proved about itself (server_trait). */
export type TraitName = "search-pass";

/** A move the journal records before any IMAP command. */
export interface PlannedMove {
  itemId: number;
  srcFolder: string;
  srcUidvalidity: number;
  srcUid: number;
  destFolder: string;
  messageId: string | null;
}

/**
 * The engine's store (db/store.ts over SQLite): accounts, checkpoints, the sent index, items and
 * their verdicts, runs, the move journal, and what is learned of the user's own mail.
 */
export interface StorePort {
  // Accounts
  addAccount(input: AccountInput): Account;
  accounts(): Account[];
  account(id: number): Account | null;
  updateAccount(id: number, changes: Partial<AccountInput>): Account | null;
  removeAccount(id: number): void;
  /** Runs `fn` as one transaction: many small writes cost one commit. */
  batch<T>(fn: () => T): T;
  // Checkpoints
  checkpoint(accountId: number, folder: string, role: "sent" | "scan"): Checkpoint | null;
  setCheckpoint(accountId: number, folder: string, role: "sent" | "scan", checkpoint: Checkpoint): void;
  // The sent index and the user's own mail
  addSent(accountId: number, rows: readonly SentRow[]): void;
  sentCount(accountId: number): number;
  /** The sent index as classify sees it. Built once per scan. */
  lookup(accountId: number, trustedPatterns: readonly string[]): IndexLookup;
  addAllowRule(accountId: number, pattern: string): void;
  ownRecord(accountId: number): OwnRecord;
  learnOwn(accountId: number, lesson: Lesson): void;
  /** Adds bytes downloaded from the account on `day` (YYYY-MM-DD, local). */
  addBytes(accountId: number, day: string, bytes: number): void;
  bytesOn(accountId: number, day: string): number;
  serverTrait(accountId: number, host: string, name: TraitName): string | null;
  setServerTrait(accountId: number, host: string, name: TraitName, value: string): void;
  // Items
  /** Stores a verdict; returns the item id. An item the user already acted on keeps its state. */
  saveItem(row: ItemRow): number | null;
  item(id: number): Item | null;
  items(accountId: number): Item[];
  itemsWith(accountId: number, verdict: VerdictKind, state: ItemState): Item[];
  itemsWithState(accountId: number, state: ItemState): Item[];
  /** The given items, in the order given; ids that do not exist are left out. */
  itemsById(ids: readonly number[]): Item[];
  itemCounts(accountId: number): { verdict: VerdictKind; state: ItemState; n: number }[];
  itemAt(accountId: number, folder: string, uid: number): Item | null;
  itemUidvalidity(id: number): number | null;
  setItemState(id: number, state: ItemState, destFolder?: string | null, destUid?: number | null): void;
  gmailIdElsewhere(accountId: number, gmailId: string, folder: string): boolean;
  /** Gmail: the labels the message had before the app moved it (null: none recorded). */
  setItemLabels(id: number, labels: readonly string[]): void;
  itemLabels(id: number): string[] | null;
  /** After an undo the message lives in its old folder again, under a new UID. */
  relocateItem(id: number, folder: string, uidvalidity: number, uid: number, state: ItemState): void;
  /** After a UIDVALIDITY change: flagged items under the old UIDs are rescanned, so they go. */
  dropStaleItems(accountId: number, folder: string, uidvalidity: number): void;
  /** A flagged message gone from the server (another program deleted or moved it). */
  forgetItem(id: number): void;
  // Runs and the move journal
  startRun(accountId: number, kind: "scan" | "move" | "undo" | "index"): number;
  finishRun(runId: number, summary: unknown): void;
  lastRun(accountId: number, kind: "move" | "scan" | "undo"): number | null;
  runs(accountId: number, limit: number): RunRow[];
  /** Journals a batch as planned, in one transaction, before any IMAP command. */
  planMoves(runId: number, op: "move" | "undo", entries: readonly PlannedMove[]): number[];
  /** Marks an entry as sent to the server; `destUidnext` says where its copy would land. */
  setJournalMoving(id: number, destUidnext: number): void;
  setJournal(id: number, state: JournalEntry["state"], destUid?: number | null, error?: string | null): void;
  openJournal(accountId: number): JournalEntry[];
  journalOfRun(runId: number): JournalEntry[];
  // The clean-up of the destination folder
  cleanupCandidates(accountId: number, folder: string, before: number): CleanupCandidate[];
  recordCleanup(accountId: number, folder: string, days: number, deleted: readonly number[], gone: readonly number[]): void;
  cleanups(accountId: number, limit: number): { id: number; at: number; folder: string; days: number; deleted: number }[];
}
