/** The first schema: accounts, folder checkpoints, the sent index, scanned items, runs, journal. */
import type { Migration } from "./types.js";

export const migration0001: Migration = {
  version: 1,
  name: "initial",
  up: `
    CREATE TABLE account (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      host TEXT NOT NULL,
      port INTEGER NOT NULL,
      security TEXT NOT NULL CHECK (security IN ('tls', 'starttls', 'plain')),
      user TEXT NOT NULL,
      pinned_fingerprint TEXT,
      sent_folders TEXT NOT NULL DEFAULT '[]',
      scan_folders TEXT NOT NULL DEFAULT '["INBOX"]',
      destination TEXT NOT NULL DEFAULT 'Backscatter',
      trusted_id_patterns TEXT NOT NULL DEFAULT '[]',
      created_at INTEGER NOT NULL,
      UNIQUE (user, host, port)
    ) STRICT;

    -- One checkpoint per folder and role: the last UID read under a UIDVALIDITY.
    CREATE TABLE folder_state (
      account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      folder TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('sent', 'scan')),
      uidvalidity INTEGER NOT NULL,
      last_uid INTEGER NOT NULL,
      uidnext INTEGER NOT NULL DEFAULT 0,
      messages INTEGER NOT NULL DEFAULT 0,
      highestmodseq TEXT,
      PRIMARY KEY (account_id, folder, role)
    ) STRICT;

    -- Mail the user really sent. Rows stay when the Sent copy is deleted: the user still sent it.
    CREATE TABLE sent_message (
      account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      message_id TEXT NOT NULL,
      date INTEGER,
      subject TEXT,
      folder TEXT NOT NULL,
      PRIMARY KEY (account_id, message_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE sent_recipient (
      account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      address TEXT NOT NULL,
      last_date INTEGER,
      PRIMARY KEY (account_id, address)
    ) STRICT, WITHOUT ROWID;

    -- The user's own From addresses, learned from the sent index.
    CREATE TABLE identity (
      account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      address TEXT NOT NULL,
      PRIMARY KEY (account_id, address)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE item (
      id INTEGER PRIMARY KEY,
      account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      folder TEXT NOT NULL,
      uidvalidity INTEGER NOT NULL,
      uid INTEGER NOT NULL,
      message_id TEXT,
      date TEXT,
      subject TEXT,
      from_address TEXT,
      kind TEXT NOT NULL,
      format TEXT,
      verdict TEXT NOT NULL,
      confidence TEXT NOT NULL,
      reason TEXT NOT NULL,
      evidence TEXT NOT NULL DEFAULT '[]',
      original_ids TEXT NOT NULL DEFAULT '[]',
      recipients TEXT NOT NULL DEFAULT '[]',
      original_subject TEXT,
      reporting_mta TEXT,
      state TEXT NOT NULL DEFAULT 'flagged' CHECK (state IN ('flagged', 'moved', 'kept', 'restored')),
      dest_folder TEXT,
      dest_uid INTEGER,
      scanned_at INTEGER NOT NULL,
      UNIQUE (account_id, folder, uidvalidity, uid)
    ) STRICT;
    CREATE INDEX item_by_verdict ON item (account_id, verdict, state);

    -- "Not backscatter": never flag again. A recipient address or a domain (leading "@").
    CREATE TABLE allow_rule (
      account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      pattern TEXT NOT NULL,
      PRIMARY KEY (account_id, pattern)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE run (
      id INTEGER PRIMARY KEY,
      account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('scan', 'move', 'undo', 'index')),
      started_at INTEGER NOT NULL,
      finished_at INTEGER,
      summary TEXT
    ) STRICT;

    -- Every move, written before and after the IMAP command, so a crash can be finished or undone.
    CREATE TABLE journal (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
      item_id INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
      op TEXT NOT NULL CHECK (op IN ('move', 'undo')),
      src_folder TEXT NOT NULL,
      src_uidvalidity INTEGER NOT NULL,
      src_uid INTEGER NOT NULL,
      dest_folder TEXT NOT NULL,
      dest_uid INTEGER,
      -- UIDNEXT of the destination just before the command: where to look for the copy after a crash.
      dest_uidnext INTEGER,
      message_id TEXT,
      state TEXT NOT NULL CHECK (state IN ('planned', 'moving', 'done', 'failed')),
      error TEXT,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX journal_open ON journal (state) WHERE state IN ('planned', 'moving');
  `,
};
