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

/** A format recognised by one phrase of its prose or by its sender's address. */
export interface TextFormat extends BounceFormat {
  phrase: RegExp;
  sender: RegExp | undefined;
}

/** The phrases of every {@link byText} format, and all of them as one pattern. */
const phrases: RegExp[] = [];
let anyPhrase: RegExp | null = null;
let screenedText: string | null = null;
let screenedResult = false;

/**
 * Whether the prose holds any {@link byText} format's phrase. Most reports name none of these
 * ~30 formats, and each would scan the prose for its own: one scan with all of them, once per
 * report, costs half as much over the corpus (23 against 49 µs a report). Exact: a phrase matches
 * only where the union, read with flags as wide or wider, does.
 */
function mayHoldPhrase(text: string): boolean {
  if (text !== screenedText) {
    anyPhrase ??= new RegExp(phrases.map((p) => `(?:${p.source})`).join("|"), "im");
    screenedText = text;
    screenedResult = anyPhrase.test(text);
  }
  return screenedResult;
}

/** Shorthand for formats recognised by one phrase of their prose or sender. */
export function byText(name: string, phrase: RegExp, sender?: RegExp): TextFormat {
  // In the union every phrase is read with "i" and "m", which can only widen it; "s", "u" or a
  // stateful "g" would not carry over.
  if (!/^i?m?$/.test(phrase.flags)) throw new Error(`The phrase of ${name} may only have the flags "i" and "m".`);
  phrases.push(phrase);
  anyPhrase = null;
  return {
    name,
    phrase,
    sender,
    detect: (ctx) => (mayHoldPhrase(ctx.text) && phrase.test(ctx.text)) || (sender !== undefined && sender.test(ctx.signals.fromAddress ?? "")),
  };
}

/** First capture of `re` in the prose, or null. */
export function capture(re: RegExp, text: string): string | null {
  return re.exec(text)?.[1]?.trim() ?? null;
}
