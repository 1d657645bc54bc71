/**
 * UID FETCH on the fast path (imapflow's internal exec, answers read by fetchAnswer.ts) or, without
 * it, through imapflow's public fetch() (publicFetch.ts). A FETCH the server throttles (imapflow's
 * ETHROTTLE: Office 365's BAD "Request is throttled") is tried again after the wait it asks for.
 */
import type { ImapFlow } from "imapflow";
import type { Account } from "../../../shared/model.js";
import { describeImapError } from "./errors.js";
import { fetchCommand, mergeAnswers, readFetchAnswer, type FetchAnswer, type FetchItem } from "./fetchAnswer.js";
import type { ImapResponse, Internals } from "./imapflowInternals.js";
import { publicFetch } from "./publicFetch.js";

/** imapflow's bound on one FETCH's answers: the rows are the server's to send, the memory ours. */
const MAX_ANSWERS = 1_000_000;
/** Tries of a FETCH the server throttles (imapflow's ETHROTTLE: Office 365's BAD "Request is throttled"). */
const THROTTLED_TRIES = 3;

/** One {@link FetchAnswer} per message of `range` (UIDs) in the selected folder, in the server's order; answers read before a throttle are kept. */
export async function uidFetch(
  client: ImapFlow,
  internals: Internals | null,
  account: Account,
  range: string,
  items: readonly FetchItem[],
): Promise<FetchAnswer[]> {
  if (!internals) return publicFetch(client, range, items).catch((error: unknown) => Promise.reject(describeImapError(error, account)));
  const byUid = new Map<number, FetchAnswer>();
  const onAnswer = (response: ImapResponse): void => {
    const answer = readFetchAnswer(response.attributes);
    if (!answer) return;
    const known = byUid.get(answer.uid);
    if (known) mergeAnswers(known, answer);
    else if (byUid.size < MAX_ANSWERS) byUid.set(answer.uid, answer);
  };
  for (let tries = 1; ; tries++) {
    try {
      (await internals.exec("UID FETCH", fetchCommand(range, items), { untagged: { FETCH: onAnswer } })).next();
      return [...byUid.values()];
    } catch (error) {
      const e = error as { code?: unknown; throttleReset?: unknown; throttleWaited?: unknown };
      if (e.code !== "ETHROTTLE" || tries >= THROTTLED_TRIES) throw describeImapError(error, account);
      const wait = Math.min(Math.max(Number(e.throttleReset) || 0, 1000 * 2 ** (tries - 1)), 30_000) - (Number(e.throttleWaited) || 0);
      await new Promise((done) => setTimeout(done, Math.max(wait, 0)));
    }
  }
}
