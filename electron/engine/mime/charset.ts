/**
 * Bytes to text. Message bytes travel through the MIME layer as "binary" strings (one char per
 * byte, Buffer's latin1), which is lossless and much cheaper than slicing Buffers; text is
 * decoded only at the edge, here.
 */

import { TextDecoder } from "node:util";

const decoders = new Map<string, TextDecoder | null>();

/** Charset labels mailers write that WHATWG's TextDecoder does not know by that name. */
const ALIASES: Record<string, string> = {
  "ks_c_5601-1987": "euc-kr",
  "x-sjis": "shift_jis",
  "shift-jis": "shift_jis",
  "x-euc-jp": "euc-jp",
  "x-unknown": "windows-1252",
  "unknown-8bit": "windows-1252",
  "us-ascii": "windows-1252",
  ascii: "windows-1252",
  "ansi_x3.4-1968": "windows-1252",
  "iso-8859-8-i": "iso-8859-8",
  cp932: "shift_jis",
  ms932: "shift_jis",
  "windows-31j": "shift_jis",
  utf8: "utf-8",
  eucgb2312_cn: "gb2312",
};

function decoderFor(charset: string): TextDecoder | null {
  const label = charset.trim().toLowerCase().replace(/^"|"$/g, "");
  const name = ALIASES[label] ?? label;
  let decoder = decoders.get(name);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(name, { fatal: false });
    } catch {
      decoder = null;
    }
    decoders.set(name, decoder);
  }
  return decoder;
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true });
const latin1Fallback = new TextDecoder("windows-1252");

/** True when every char of the binary string is 7-bit: then it already is its own text. */
export function isAscii(binary: string): boolean {
  return !/[^\x00-\x7f]/.test(binary);
}

/**
 * Decodes a binary string in the given charset. Unknown or missing charsets fall back to UTF-8
 * when the bytes are valid UTF-8, else to Windows-1252 (what mail clients do in practice).
 */
export function decodeText(binary: string, charset?: string | null): string {
  // Already text (a char above 0xFF cannot be a byte): decoding it again would garble it.
  if (/[^\x00-\xff]/.test(binary)) return binary;
  if (charset) {
    const decoder = decoderFor(charset);
    if (decoder) {
      // 7-bit text is itself in every charset but the stateful ones (ISO-2022-JP uses escapes).
      if (isAscii(binary) && !/^\s*"?(iso-2022|hz)/i.test(charset)) return binary;
      return decoder.decode(Buffer.from(binary, "latin1"));
    }
  }
  if (isAscii(binary)) return binary;
  const bytes = Buffer.from(binary, "latin1");
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return latin1Fallback.decode(bytes);
  }
}

/** Decodes quoted-printable into a binary string. Broken escapes are kept as written. */
export function decodeQuotedPrintable(input: string): string {
  const softBreaks = input.replace(/=\r?\n/g, "");
  return softBreaks.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Decodes base64 into a binary string, ignoring whitespace and garbage around it. */
export function decodeBase64(input: string): string {
  return Buffer.from(input.replace(/[^A-Za-z0-9+/=]/g, ""), "base64").toString("latin1");
}

/** Undoes a Content-Transfer-Encoding; unknown encodings pass through unchanged. */
export function decodeTransfer(body: string, encoding: string | null): string {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "base64":
      return decodeBase64(body);
    case "quoted-printable":
      return decodeQuotedPrintable(body);
    default:
      return body;
  }
}
