/**
 * The one file that reaches past imapflow's public API. The fast path of a scan needs three of
 * its internals: the private `exec` (a UID FETCH whose answers come to us as tokens, and UID
 * EXPUNGE), the connection's `handleResponse` (where fetchLine.ts reads FETCH lines first), and
 * the ENVELOPE and BODYSTRUCTURE parsers of `lib/tools.js`. package.json pins imapflow's exact
 * version; {@link imapflowInternals} checks at every connection that the internals are the ones
 * this file was written against, and when they are not, the session takes imapflow's public
 * `fetch()` and `messageDelete()` instead (publicFetch.ts): slower, never wrong.
 */
import { createRequire } from "node:module";
import type { ImapFlow, MessageEnvelopeObject, MessageStructureObject } from "imapflow";
import type { ImapAttributeList, ImapResponse } from "imapflow/lib/handler/types.js";
import { readFetchLine, type FetchLineCounts } from "./fetchLine.js";

export type { ImapAttribute, ImapAttributeList, ImapAttributeNode, ImapResponse } from "imapflow/lib/handler/types.js";

/** The imapflow release these internals were read from; package.json pins the same. */
export const IMAPFLOW_VERSION = "2.10.2";

interface Tools {
  parseEnvelope(entry: ImapAttributeList): MessageEnvelopeObject;
  parseBodystructure(entry: ImapAttributeList): MessageStructureObject;
}

/** What the fast path calls on the client; none of it is in imapflow's typings. */
interface Connection {
  exec(command: string, attributes: ImapAttributeList, options?: { untagged?: Record<string, (answer: ImapResponse) => void> }): Promise<{ next(): void }>;
  handleResponse(data: { payload?: unknown; literals?: unknown }): Promise<boolean>;
  currentRequest?: { options?: { untagged?: Record<string, ((response: ImapResponse) => unknown) | undefined> } } | null | false;
}

function installedVersion(): string | null {
  try {
    return (createRequire(import.meta.url)("imapflow/package.json") as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

const installed = installedVersion();
// The ES module, as imapflow itself is loaded: the same instance, not a second copy of imapflow in memory.
const tools = (await import("imapflow/lib/tools.js").catch(() => null)) as Partial<Tools> | null;
const toolsReady = typeof tools?.parseEnvelope === "function" && typeof tools.parseBodystructure === "function";

/** The internals a session's fast path uses, on one client. */
export interface Internals {
  /** Runs a command; its untagged answers go to `untagged`. Release the answer with next(), or every later command waits. */
  exec: Connection["exec"];
  /** Puts fetchLine.ts in front of imapflow's parser for the FETCH lines of `exec`'s UID FETCH. */
  readFetchLinesFirst(counts: FetchLineCounts): void;
}

/** Why {@link imapflowInternals} found no internals to use, in words; null when it found them. */
export function internalsMissing(client: object, version: string | null = installed): string | null {
  const connection = client as Partial<Connection>;
  if (version !== IMAPFLOW_VERSION) return `imapflow ${version ?? "(unknown version)"} is not ${IMAPFLOW_VERSION}`;
  if (!toolsReady) return "imapflow/lib/tools.js has no ENVELOPE and BODYSTRUCTURE parsers";
  if (typeof connection.exec !== "function" || typeof connection.handleResponse !== "function") return "imapflow's connection has no exec or handleResponse";
  return null;
}

/**
 * The internals of `client`, or null when {@link internalsMissing} finds this imapflow is not the
 * pinned release or lacks one of them: the caller then stays on the public API.
 */
export function imapflowInternals(client: ImapFlow | object, version: string | null = installed): Internals | null {
  const connection = client as Connection;
  if (internalsMissing(client, version) !== null) return null;
  const { exec, handleResponse } = connection;
  return {
    exec: exec.bind(client),
    readFetchLinesFirst(counts) {
      connection.handleResponse = async function (this: Connection, data) {
        const onFetch = this.currentRequest ? this.currentRequest.options?.untagged?.FETCH : undefined;
        if (onFetch && Buffer.isBuffer(data.payload) && Array.isArray(data.literals)) {
          const response = readFetchLine(data.payload, data.literals as Buffer[]);
          if (response) {
            counts.fast++;
            // A throw here fails the command, as any error in imapflow's response handling does.
            await onFetch(response);
            return true;
          }
        }
        return handleResponse.call(this, data);
      };
    },
  };
}

/** imapflow's own ENVELOPE parser (only the fast path calls it, after {@link imapflowInternals} found it). */
export function parseEnvelope(entry: ImapAttributeList): MessageEnvelopeObject {
  if (!toolsReady || !tools?.parseEnvelope) throw new Error("imapflow's ENVELOPE parser is missing.");
  return tools.parseEnvelope(entry);
}

/** imapflow's own BODYSTRUCTURE parser (as {@link parseEnvelope}). */
export function parseBodystructure(entry: ImapAttributeList): MessageStructureObject {
  if (!toolsReady || !tools?.parseBodystructure) throw new Error("imapflow's BODYSTRUCTURE parser is missing.");
  return tools.parseBodystructure(entry);
}
