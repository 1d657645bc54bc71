import type { BounceFormat } from "./types.js";

/** IBM/HCL Notes and Domino: "Your message ... was not delivered to:", subject "DELIVERY FAILURE:". */
export const lotus: BounceFormat = {
  name: "lotus",
  detect: (ctx) =>
    /^DELIVERY[ _]FAILURE/i.test(ctx.signals.subject) ||
    /was not delivered to:|lotus (?:domino|notes|smtp)|domino smtp|^-+ failure reasons\s+-+$/im.test(ctx.text),
};
