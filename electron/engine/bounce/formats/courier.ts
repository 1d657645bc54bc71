import type { BounceFormat } from "./types.js";
import { capture } from "./types.js";

/** Courier MTA: "This is a delivery status notification from ...", "Courier mail server". */
export const courier: BounceFormat = {
  name: "courier",
  detect: (ctx) =>
    /courier mail server at|this is a delivery status notification from|^NOTICE: mail delivery status/im.test(ctx.text + "\n" + ctx.signals.subject),
  reportingMta: (ctx) => capture(/courier mail server at ([\w.-]+)/i, ctx.text),
};
