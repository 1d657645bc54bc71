/**
 * The shape every MTA family's file exports. Adding a format is adding a file that exports a
 * {@link BounceFormat} and listing it in ./index.ts.
 */
import type { Headers } from "../../mime/headers.js";
import type { Signals } from "../signals.js";

export interface FormatContext {
  headers: Headers;
  signals: Signals;
  /** Decoded text of the report's prose parts, joined. */
  text: string;
  /** True when a message/delivery-status part is present. */
  hasDsn: boolean;
}

export interface BounceFormat {
  /** Stable name, printed in `parse --json` output as "format". */
  name: string;
  /** True when this system wrote the report. Cheap: a few regex tests on header and prose. */
  detect(ctx: FormatContext): boolean;
  /** The host that wrote the report, when the prose names it. */
  reportingMta?(ctx: FormatContext): string | null;
}

/** Shorthand for formats recognised by one phrase of their prose or sender. */
export function byText(name: string, text: RegExp, from?: RegExp): BounceFormat {
  return {
    name,
    detect: (ctx) => text.test(ctx.text) || (from !== undefined && from.test(ctx.signals.fromAddress ?? "")),
  };
}

/** First capture of `re` in the prose, or null. */
export function capture(re: RegExp, text: string): string | null {
  return re.exec(text)?.[1]?.trim() ?? null;
}
