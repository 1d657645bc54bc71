import type { BounceFormat } from "./types.js";
import { byText } from "./types.js";

/** Other mail servers whose templates we name. */
export const messagingServer = byText(
  "messagingserver",
  /this report relates to a message you sent with the following header fields|sun java system messaging server|oracle communications messaging/i,
);
export const imail = byText("imailserver", /imail|ipswitch/i);
export const apacheJames = byText("apachejames", /apache james|error message below:\s*$/im);
export const mdaemon = byText("mdaemon", /mdaemon/i);
export const kerio = byText("kerio", /kerio/i);
export const zimbra = byText("zimbra", /zimbra/i);
export const fml: BounceFormat = {
  name: "fml",
  detect: (ctx) => /\bfml\b/i.test(ctx.headers.raw("x-mlserver") ?? "") || /you .* are not (?:a )?member|loop alert/i.test(ctx.signals.subject),
};
export const novell = byText("groupwise", /groupwise|novell/i);

export const servers: BounceFormat[] = [messagingServer, imail, apacheJames, mdaemon, kerio, zimbra, fml, novell];
