/**
 * Waiting for new mail on a connection kept for watching (RFC 2177 IDLE). The folder stays
 * EXAMINEd, so every EXISTS the server pushes is seen, also one that came between two waits.
 * IDLE is entered again whenever imapflow breaks it: its keep-alive NOOP after a quiet socket
 * does, and that NOOP is also what finds a connection that died in the night.
 */
import type { ImapFlow } from "imapflow";
import type { Account } from "../../../shared/model.js";
import type { WaitResult } from "../ports.js";
import { ImapError } from "./errors.js";

interface ExistsEvent {
  path: string;
  count: number;
  prevCount: number;
}

export class ArrivalWatch {
  private path: string | null = null;
  private arrived = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly client: ImapFlow,
    private readonly account: Pick<Account, "host" | "port">,
  ) {
    client.on("exists", (e: ExistsEvent) => {
      if (e.path !== this.path || e.count <= e.prevCount) return;
      this.arrived = true;
      this.wake?.();
    });
    client.on("close", () => this.wake?.());
  }

  /** See ImapPort.waitForNewMail. */
  async wait(path: string, maxMs: number, signal: AbortSignal): Promise<WaitResult> {
    if (this.path !== path || this.client.mailbox === false || this.client.mailbox.path !== path) {
      if (!(await this.client.mailboxOpen(path, { readOnly: true }).catch(() => false))) throw this.lost(`open ${path} to watch it`);
      this.path = path;
    }
    if (!this.arrived && !signal.aborted) {
      let waiting = true;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          this.wake = null;
          waiting = false;
          resolve();
        };
        const timer = setTimeout(done, maxMs);
        signal.addEventListener("abort", done, { once: true });
        this.wake = done;
        if (this.client.capabilities.has("IDLE")) void this.idleWhile(() => waiting);
      });
      // Ends the IDLE (imapflow sends DONE first); without IDLE this NOOP is the poll.
      if (this.client.usable) await this.client.noop();
    }
    if (!this.client.usable) throw this.lost("wait for new mail");
    const arrived = this.arrived;
    this.arrived = false;
    return arrived ? "arrived" : "quiet";
  }

  private async idleWhile(waiting: () => boolean): Promise<void> {
    while (waiting() && this.client.usable) {
      const started = Date.now();
      if ((await this.client.idle()) === false) return; // refused: the wait runs out and its NOOP polls
      // An IDLE the server ends at once is not entered again in a busy loop.
      if (waiting() && Date.now() - started < 1000) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  private lost(what: string): ImapError {
    return new ImapError("connection", `The connection to ${this.account.host}:${this.account.port} was lost while trying to ${what}.`);
  }
}
