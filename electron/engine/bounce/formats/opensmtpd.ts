import type { BounceFormat } from "./types.js";

/** OpenSMTPD: "This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail." */
export const opensmtpd: BounceFormat = {
  name: "opensmtpd",
  detect: (ctx) =>
    /this is the mailer-daemon, please do not reply to this e-?mail|an error has occurred while attempting to deliver a message for the following list of recipients/i.test(
      ctx.text,
    ),
};
