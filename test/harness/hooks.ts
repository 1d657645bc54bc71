/**
 * Real IMAP sessions with a pause at chosen points, for what another mail program does at that
 * very moment (delete a folder between our STATUS and SELECT, recreate one between our scan of
 * it and our move, take messages away just before our MOVE). The hooks run to completion before
 * our next command goes out, so the race is exact.
 */
import type { Account } from "../../shared/model.js";
import { ImapSession } from "../../electron/engine/imap/session.js";
import type { FolderStatus } from "../../electron/engine/ports.js";

export interface SessionHooks {
  afterStatus?(path: string): Promise<void>;
  /** After we had `path` open (selected) and were done with it. */
  afterOpen?(path: string): Promise<void>;
  /** Before a UID MOVE or UID COPY of `uids` (our own move, or the fallback's copy). */
  beforeTransfer?(uids: readonly number[], destination: string): Promise<void>;
}

export function hookedSessions(hooks: SessionHooks): (account: Account, secret: string) => Promise<ImapSession> {
  return async (account, secret) => {
    const session = await ImapSession.open({ account, secret });
    const status = session.status.bind(session);
    const inFolder = session.inFolder.bind(session);
    const move = session.move.bind(session);
    const copy = session.copy.bind(session);
    session.status = async (path) => {
      const r = await status(path);
      await hooks.afterStatus?.(path);
      return r;
    };
    session.inFolder = async <T>(path: string, fn: (open: FolderStatus) => Promise<T>, options?: { readOnly?: boolean }): Promise<T> => {
      const r = await inFolder(path, fn, options);
      await hooks.afterOpen?.(path);
      return r;
    };
    session.move = async (uids, destination) => {
      await hooks.beforeTransfer?.(uids, destination);
      return move(uids, destination);
    };
    session.copy = async (uids, destination) => {
      await hooks.beforeTransfer?.(uids, destination);
      return copy(uids, destination);
    };
    return session;
  };
}
