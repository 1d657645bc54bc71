import type { BounceFormat } from "./types.js";

/** Yahoo Mail: "Sorry, we were unable to deliver your message to the following address." */
export const yahoo: BounceFormat = {
  name: "yahoo",
  detect: (ctx) =>
    /sorry, we were unable to deliver your message to the following address/i.test(ctx.text) ||
    /@yahoo(?:-inc)?\.[a-z.]+$/i.test(ctx.signals.fromAddress ?? ""),
};
