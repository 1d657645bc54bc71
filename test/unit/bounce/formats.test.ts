// The formats named by one phrase (byText) are screened with all their phrases at once before
// each tests its own. Over every corpus report, and texts that hold each phrase, a format must
// be detected exactly when its own phrase or sender matches: the screen never hides one.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectFormat, FORMATS, type FormatContext } from "../../../electron/engine/bounce/formats/index.js";
import { byText, type TextFormat } from "../../../electron/engine/bounce/formats/types.js";
import { readSignals } from "../../../electron/engine/bounce/signals.js";
import { parseHeaderBlock } from "../../../electron/engine/mime/headers.js";
import { SISIMAI } from "../../harness/paths.js";

const textFormats = FORMATS.filter((f): f is TextFormat => "phrase" in f);

function contextOf(raw: string): FormatContext {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = parseHeaderBlock(split < 0 ? raw : raw.slice(0, split));
  return { headers, signals: readSignals(headers), text: (split < 0 ? "" : raw.slice(split)).slice(0, 8000), hasDsn: false };
}

const corpus = readdirSync(SISIMAI, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith(".eml"))
  .map((f) => contextOf(readFileSync(join(SISIMAI, f), "latin1")));

/** A report whose prose says `phrase` and nothing else of note, from `from`. */
const saying = (phrase: string, from = "postmaster@mx.example"): FormatContext =>
  contextOf(`From: ${from}\r\nSubject: Undelivered\r\n\r\nHello.\r\n${phrase}\r\nThe message was not delivered.\r\n`);

const examples: Record<string, string> = {
  barracuda: "Barracuda Networks",
  messagelabs: "MessageLabs",
  trendmicro: "InterScan Messaging",
  mcafee: "--- The following addresses had delivery problems ---",
  amavis: "Content-filter at mx.example",
  sophos: "PureMessage",
  proofpoint: "pphosted.com",
  aol: "AOL Mail",
  gmx: "gmx.net",
  webde: "web.de",
  "1and1": "kundenserver.de",
  mailru: "mail.ru",
  yandex: "Yandex",
  zoho: "Zoho",
  facebook: "Facebook",
  verizon: "Verizon",
  "japan-mobile": "docomo.ne.jp",
  biglobe: "BIGLOBE",
  googlegroups: "Google Groups",
  messagingserver: "Sun Java System Messaging Server",
  imailserver: "Ipswitch",
  apachejames: "Error message below:\r\n550 no such user",
  mdaemon: "MDaemon",
  kerio: "Kerio",
  zimbra: "Zimbra",
  groupwise: "Novell",
};

describe("formats named by one phrase", () => {
  it("has an example for each, and each example is detected as its format", () => {
    expect(Object.keys(examples).sort()).toEqual(textFormats.map((f) => f.name).sort());
    for (const f of textFormats) {
      const ctx = saying(examples[f.name] ?? "");
      expect(f.detect(ctx), f.name).toBe(true);
      expect(f.phrase.test(ctx.text), f.name).toBe(true);
    }
  });

  it("detects each format exactly where its own phrase or sender matches, over every corpus report and each example", () => {
    expect(corpus.length).toBeGreaterThan(600);
    const contexts = [...corpus, ...Object.values(examples).map((e) => saying(e)), saying("nothing of note", "MAILER-DAEMON@web.de")];
    let named = 0;
    for (const ctx of contexts) {
      for (const f of textFormats) {
        const own = f.phrase.test(ctx.text) || (f.sender?.test(ctx.signals.fromAddress ?? "") ?? false);
        if (own) named++;
        expect(f.detect(ctx), `${f.name} on ${ctx.signals.subject}`).toBe(own);
      }
    }
    // The screen was put to the test: many reports name one of these formats, most name none.
    expect(named).toBeGreaterThan(100);
    expect(detectFormat(saying("nothing of note"))).toBeNull();
  });

  it("refuses a phrase whose flags the screen could not carry", () => {
    expect(() => byText("dotall", /a.b/is)).toThrow(/flags/);
    expect(() => byText("global", /abc/gi)).toThrow(/flags/);
  });
});
