/**
 * The registry of report formats, most specific first: the first whose detector matches names
 * the format. Adding a format is adding a file and a line here.
 */
import { amazon } from "./amazon.js";
import { courier } from "./courier.js";
import { dragonfly } from "./dragonfly.js";
import { exchange } from "./exchange.js";
import { exim } from "./exim.js";
import { gateways } from "./gateways.js";
import { google } from "./google.js";
import { lotus } from "./lotus.js";
import { opensmtpd } from "./opensmtpd.js";
import { postfix } from "./postfix.js";
import { providers } from "./providers.js";
import { qmail } from "./qmail.js";
import { sendmail } from "./sendmail.js";
import { servers } from "./servers.js";
import type { BounceFormat, FormatContext } from "./types.js";
import { yahoo } from "./yahoo.js";

export type { BounceFormat, FormatContext } from "./types.js";

export const FORMATS: readonly BounceFormat[] = [
  amazon,
  yahoo,
  dragonfly,
  opensmtpd,
  courier,
  lotus,
  exchange,
  google,
  ...gateways,
  qmail,
  exim,
  postfix,
  sendmail,
  ...providers,
  ...servers,
];

/** The first format whose detector matches, or null. */
export function detectFormat(ctx: FormatContext): BounceFormat | null {
  for (const format of FORMATS) if (format.detect(ctx)) return format;
  return null;
}
