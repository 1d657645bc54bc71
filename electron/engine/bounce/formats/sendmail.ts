import type { BounceFormat } from "./types.js";

/** Sendmail: "The original message was received at ..." and a session transcript. */
export const sendmail: BounceFormat = {
  name: "sendmail",
  detect: (ctx) =>
    /the original message was received at|-----\s*transcript of session follows\s*-----|returned mail: see transcript for details/i.test(
      ctx.text + "\n" + ctx.signals.subject,
    ),
};
