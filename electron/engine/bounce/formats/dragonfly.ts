import type { BounceFormat } from "./types.js";
import { capture } from "./types.js";

/** DragonFly Mail Agent (dma): "This is the DragonFly Mail Agent ..." then "Message headers follow." */
export const dragonfly: BounceFormat = {
  name: "dragonfly",
  detect: (ctx) => /this is the dragonfly mail agent/i.test(ctx.text),
  reportingMta: (ctx) => capture(/dragonfly mail agent[^\n]* at ([\w.-]+?)\.?\s/i, ctx.text),
};
