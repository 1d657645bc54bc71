import type { BounceFormat } from "./types.js";

/** Amazon SES and WorkMail, and SES bounce notifications relayed through SNS. */
export const amazon: BounceFormat = {
  name: "amazon",
  detect: (ctx) => /amazonses\.com$|sns\.amazonaws\.com$/i.test(ctx.signals.fromAddress ?? "") || ctx.headers.has("x-ses-outgoing") || /"notificationType"\s*:\s*"bounce"/i.test(ctx.text),
};
