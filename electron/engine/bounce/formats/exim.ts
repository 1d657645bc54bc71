import type { BounceFormat } from "./types.js";

/**
 * Exim: "This message was created automatically by mail delivery software." The original
 * follows "------ This is a copy of the message, including all the headers. ------".
 */
export const exim: BounceFormat = {
  name: "exim",
  detect: (ctx) =>
    /this message was created automatically by mail delivery software|this is a copy of the message, including all the headers|message .* delayed .* hours/i.test(
      ctx.text,
    ) ||
    (/^Mail delivery failed/i.test(ctx.signals.subject) && ctx.headers.has("x-failed-recipients")),
};
