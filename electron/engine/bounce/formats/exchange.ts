import type { BounceFormat } from "./types.js";
import { capture } from "./types.js";

/**
 * Microsoft Exchange (2003 to Exchange Online/Outlook.com): "Delivery has failed to these
 * recipients or groups", "Your message did not reach some or all of the intended recipients",
 * "Original message headers:" and the X-MS-Exchange fields.
 */
export const exchange: BounceFormat = {
  name: "exchange",
  detect: (ctx) =>
    ctx.signals.exchangeNdr ||
    /[@.](?:hotmail|outlook|live|msn)\.[a-z.]+$/i.test(ctx.signals.fromAddress ?? "") ||
    /delivery has failed to these recipients|did not reach some or all of the intended recipients|original message headers:|diagnostic information for administrators|microsoft exchange|your message couldn't be delivered|generating server:|the following recipient\(s\) could not be reached|could not be delivered to one or more recipients/i.test(
      ctx.text,
    ),
  reportingMta: (ctx) => capture(/generating server:\s*([\w.-]+)/i, ctx.text),
};
