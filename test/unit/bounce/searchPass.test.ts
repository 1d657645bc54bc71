// The search pass's criteria, without a server: the strings drawn from each phrase list are in
// every text the list matches (checked on random texts each list matches), and every message of
// the corpus and the fixtures that triage makes a candidate meets a criterion, compared as IMAP
// SEARCH compares (case-insensitive substrings). Against Dovecot: test/integration/searchPass.test.ts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  AUTOREPLY_SUBJECT,
  AUTOREPLY_WEAK_SUBJECT,
  BOUNCE_SUBJECT,
  CHALLENGE_PHRASE,
  SYSTEM_DISPLAY_NAME,
  SYSTEM_SENDER,
  VIRUS_PHRASE,
} from "../../../electron/engine/bounce/phrases.js";
import { requiredText } from "../../../electron/engine/bounce/requiredText.js";
import { searchCriteria } from "../../../electron/engine/bounce/searchPass.js";
import type { SearchCriterion } from "../../../electron/engine/ports.js";
import { triage } from "../../../electron/engine/bounce/triage.js";
import { searchGroups } from "../../../electron/engine/imap/search.js";
import { listMessageFiles } from "../../../electron/engine/cli/files.js";
import type { Headers } from "../../../electron/engine/mime/headers.js";
import { parseMessage } from "../../../electron/engine/mime/tree.js";
import type { OperationContext } from "../../../electron/engine/context.js";
import { searchChunks, searchPassWanted, TRIAGE_CHUNK } from "../../../electron/engine/scan/firstPass.js";
import { prng } from "../../harness/generate.js";
import { FIXTURES, SISIMAI } from "../../harness/paths.js";

/** A random text `source` could match, read straight off the pattern (classes and escapes by a character they accept). */
function sample(source: string, random: () => number): string {
  let i = 0;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const alternatives = (): string => {
    const options = [sequence()];
    while (source[i] === "|") {
      i++;
      options.push(sequence());
    }
    return pick(options);
  };
  const sequence = (): string => {
    let out = "";
    while (i < source.length && source[i] !== "|" && source[i] !== ")") {
      const one = atom();
      const [min, max] = quantifier();
      const times = min + Math.floor(random() * (Math.min(max, min + 2) - min + 1));
      for (let n = 0; n < times; n++) out += n === 0 ? one.text : one.again();
    }
    return out;
  };
  const atom = (): { text: string; again: () => string } => {
    const c = source[i++] ?? "";
    const fixed = (text: string) => ({ text, again: () => text });
    if (c === "\\") {
      const e = source[i++] ?? "";
      return fixed(({ s: " ", d: "7", w: "a", b: "", n: "\n" } as Record<string, string>)[e] ?? e);
    }
    if (c === "[") {
      const end = source.indexOf("]", i + 1);
      const klass = new RegExp(`[${source.slice(i, end)}]`, "u");
      i = end + 1;
      return fixed(["-", "x", " ", "_", ".", "7", "é", "o", "a"].find((x) => klass.test(x)) ?? "");
    }
    if (c === "(") {
      const look = /^\?(?:[=!]|<[=!])/.exec(source.slice(i))?.[0];
      if (look) i += look.length;
      else if (source.startsWith("?:", i)) i += 2;
      const start = i;
      const text = alternatives();
      i++; // ")"
      const end = i;
      return look
        ? fixed("")
        : {
            text,
            again: () => (
              (i = start),
              (() => {
                const t = alternatives();
                i = end;
                return t;
              })()
            ),
          };
    }
    if (c === ".") return fixed("x");
    if (c === "^" || c === "$") return fixed("");
    return fixed(c);
  };
  const quantifier = (): [number, number] => {
    const c = source[i];
    let q: [number, number] = [1, 1];
    if (c === "?") q = [0, 1];
    else if (c === "*") q = [0, 3];
    else if (c === "+") q = [1, 3];
    else if (c === "{") {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(source.slice(i));
      if (!m) return q;
      i += m[0].length - 1;
      q = [Number(m[1]), m[2] === undefined ? Number(m[1]) : m[2] ? Number(m[2]) : Number(m[1]) + 3];
    } else return q;
    i++;
    return q;
  };
  return alternatives();
}

const LISTS = { BOUNCE_SUBJECT, AUTOREPLY_SUBJECT, AUTOREPLY_WEAK_SUBJECT, CHALLENGE_PHRASE, VIRUS_PHRASE, SYSTEM_SENDER, SYSTEM_DISPLAY_NAME };

describe("requiredText", () => {
  it.each(Object.entries(LISTS))("names strings one of which is in every text %s matches", (_name, pattern) => {
    const required = requiredText(pattern);
    const random = prng(11);
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      const text = sample(pattern.source, random);
      for (const t of [text, ` ${text} `]) {
        if (!pattern.test(t)) continue;
        matched++;
        expect(
          required.some((r) => t.toLowerCase().includes(r)),
          `${JSON.stringify(t)} holds none of them`,
        ).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(1000);
  });

  it("reads groups, optional parts, classes and lookarounds", () => {
    expect(requiredText(/(?<![a-z])bounce(?:d)?(?![a-z])|n(?:ã|a)o entregue|[#:]?ticket|^auto:/iu)).toEqual([
      "auto:",
      "bounce",
      "nao entregue",
      "não entregue",
      "ticket",
    ]);
    expect(() => requiredText(/\d+|undelivered/i)).toThrow(/without literal text/);
  });
});

/** Whether `headers` meet `c` as Dovecot's SEARCH compares: a case-insensitive substring of the field (any value for ""). */
function meets(headers: Headers, c: SearchCriterion): boolean {
  const values = "field" in c ? headers.rawAll(c.field) : "subject" in c ? [headers.text("subject") ?? ""] : [headers.text("from") ?? ""];
  const wanted = "field" in c ? c.value : "subject" in c ? c.subject : c.from;
  return values.some((v) => v.toLowerCase().includes(wanted.toLowerCase()));
}

describe("searchCriteria", () => {
  it("are met by every message of the corpus and the fixtures that triage makes a candidate", async () => {
    const criteria = searchCriteria();
    let candidates = 0;
    const missed: string[] = [];
    for (const root of [SISIMAI, FIXTURES]) {
      for (const file of await listMessageFiles(root, root)) {
        const { headers } = parseMessage(readFileSync(file.path).toString("latin1"));
        if (!triage(headers).candidate) continue;
        candidates++;
        if (!criteria.some((c) => meets(headers, c))) missed.push(file.label);
      }
    }
    expect(candidates).toBeGreaterThan(600);
    expect(missed).toEqual([]);
  });
});

describe("searchGroups", () => {
  it("cuts the criteria into SEARCH commands of a few KB, every criterion in one of them", () => {
    const criteria = searchCriteria();
    const groups = searchGroups(criteria);
    expect(groups.flat()).toEqual(criteria);
    const keys = (g: readonly SearchCriterion[]) =>
      g.map((c) => ("field" in c ? `OR HEADER ${c.field} "${c.value}"` : "subject" in c ? `OR SUBJECT "${c.subject}"` : `OR FROM "${c.from}"`)).join(" ");
    for (const g of groups) expect(Buffer.byteLength(keys(g))).toBeLessThan(4096);
  });
});

describe("searchChunks", () => {
  it("hands out the hits a round at a time, each round reaching to the next one's first hit, with the live messages it covers", () => {
    const live = Array.from({ length: 3000 }, (_, k) => k + 1).filter((u) => u % 10 !== 0);
    const hits = live.filter((u) => u % 3 === 0);
    const rounds = searchChunks(1, 3005, live, hits);
    expect(rounds.map((r) => r.uids?.length)).toEqual([TRIAGE_CHUNK, hits.length - TRIAGE_CHUNK]);
    expect(rounds[0]).toMatchObject({ from: 1, end: (hits[TRIAGE_CHUNK] ?? 0) - 1 });
    expect(rounds[1]).toMatchObject({ from: hits[TRIAGE_CHUNK], end: 3005 });
    expect(rounds.reduce((n, r) => n + r.live, 0)).toBe(live.length);
  });

  it("covers the whole range in one round when nothing is found", () => {
    expect(searchChunks(101, 5000, [101, 102, 4000], [])).toEqual([{ from: 101, end: 5000, uids: [], live: 3 }]);
  });
});

describe("searchPassWanted", () => {
  const ctx = (searchPass: OperationContext["searchPass"], capabilities: string[] = []) =>
    ({ searchPass, session: { has: (c: string) => capabilities.includes(c) } }) as unknown as OperationContext;
  it("uses a search proved quicker; one proved slower only where bytes are dear (Gmail, or asked); never one refused or unproved", () => {
    const on = { fromMessages: 2000 };
    expect(searchPassWanted(ctx(on), "trusted")).toBe(true);
    expect(searchPassWanted(ctx(on), "slower: 40 ms against 30 ms")).toBe(false);
    expect(searchPassWanted(ctx(on, ["X-GM-EXT-1"]), "slower: 40 ms against 30 ms")).toBe(true);
    expect(searchPassWanted(ctx({ ...on, saveBytes: true }), "slower: 40 ms against 30 ms")).toBe(true);
    expect(searchPassWanted(ctx({ ...on, saveBytes: true }), "refused: its search missed 2 of 9 candidates")).toBe(false);
    expect(searchPassWanted(ctx({ ...on, saveBytes: true }), null)).toBe(false);
    expect(searchPassWanted(ctx(false), "trusted")).toBe(false);
  });
});
