import type { BounceFormat } from "./types.js";

/** Gmail and Google Workspace: mailer-daemon@googlemail.com, "Delivery to the following recipient failed". */
export const google: BounceFormat = {
  name: "google",
  detect: (ctx) =>
    /@(?:googlemail|google)\.com$/i.test(ctx.signals.fromAddress ?? "") ||
    /delivery to the following recipients? failed|the response from the remote server was:|message wasn't delivered to|google tried to deliver your message/i.test(
      ctx.text,
    ),
};
