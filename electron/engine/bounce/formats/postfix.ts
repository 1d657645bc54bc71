import type { BounceFormat } from "./types.js";
import { capture } from "./types.js";

/** Postfix: "This is the mail system at host mx.example.org." (bounce(8) templates). */
export const postfix: BounceFormat = {
  name: "postfix",
  detect: (ctx) =>
    /this is the (?:mail system|postfix program) at host|delivery status notification from the postfix|x-postfix-(?:queue-id|sender)/i.test(ctx.text),
  reportingMta: (ctx) => capture(/(?:mail system|postfix program) at host ([\w.-]+)/i, ctx.text),
};
