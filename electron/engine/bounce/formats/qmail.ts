import type { BounceFormat } from "./types.js";
import { capture } from "./types.js";

/** qmail and its descendants (netqmail, s/qmail): "Hi. This is the qmail-send program at ...". */
export const qmail: BounceFormat = {
  name: "qmail",
  detect: (ctx) =>
    /this is the qmail-send program|qmail-send program at|--- below this line is a copy of the message\.\s*$/im.test(ctx.text) &&
    !/yahoo/i.test(ctx.signals.fromAddress ?? ""),
  reportingMta: (ctx) => capture(/qmail-send program at ([\w.-]+?)\.?\s/i, ctx.text),
};
