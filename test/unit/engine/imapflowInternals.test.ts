// The fast path's reach into imapflow: its self-check, and the FETCH line hook it installs.
// (Both paths against Dovecot: test/integration/imapflowPaths.test.ts.)
import { createRequire } from "node:module";
import parser from "imapflow/lib/handler/imap-parser.js";
import { describe, expect, it } from "vitest";
import type { FetchLineCounts } from "../../../electron/engine/imap/fetchLine.js";
import { IMAPFLOW_VERSION, imapflowInternals, internalsMissing } from "../../../electron/engine/imap/imapflowInternals.js";
import { onlyFields, publicQuery } from "../../../electron/engine/imap/publicFetch.js";

const framed = (line: string): { payload: Buffer; literals: Buffer[] } => ({ payload: Buffer.from(line, "latin1"), literals: [] });

/** A stand-in for imapflow's connection: the members the internals use, and what reached imapflow's parser. */
function connection(untagged: Record<string, (r: unknown) => void> | null) {
  const parsedByImapflow: Buffer[] = [];
  return {
    parsedByImapflow,
    currentRequest: untagged ? { options: { untagged } } : null,
    async exec(): Promise<{ next(): void }> {
      return { next: () => undefined };
    },
    async handleResponse(data: { payload?: unknown }): Promise<boolean> {
      parsedByImapflow.push(data.payload as Buffer);
      return true;
    },
  };
}

describe("the self-check", () => {
  it("is the version package.json pins, exactly, and the one installed", () => {
    const pkg = createRequire(import.meta.url)("../../../package.json") as { dependencies: Record<string, string> };
    expect(pkg.dependencies["imapflow"]).toBe(IMAPFLOW_VERSION);
    expect(internalsMissing(connection(null))).toBeNull();
  });

  it("refuses another imapflow release, and a connection without exec or handleResponse", () => {
    expect(internalsMissing(connection(null), "2.11.0")).toMatch(/imapflow 2\.11\.0 is not/);
    expect(imapflowInternals(connection(null), "2.11.0")).toBeNull();
    const withoutExec: Partial<ReturnType<typeof connection>> = connection(null);
    delete withoutExec.exec;
    expect(internalsMissing(withoutExec)).toMatch(/no exec or handleResponse/);
    expect(imapflowInternals({ somethingElse: true })).toBeNull();
  });
});

describe("the FETCH line hook", () => {
  it("gives a command's own FETCH handler each line it reads, and imapflow every other line", async () => {
    const got: unknown[] = [];
    const c = connection({ FETCH: (r) => got.push(r) });
    const counts: FetchLineCounts = { fast: 0 };
    imapflowInternals(c)?.readFetchLinesFirst(counts);
    expect(await c.handleResponse({ ...framed("* 1 FETCH (UID 7 FLAGS (\\Seen))"), next: () => undefined } as never)).toBe(true);
    expect(await c.handleResponse({ ...framed("* 1 FETCH (UID 1:5)") } as never)).toBe(true);
    expect(await c.handleResponse({ ...framed("A1 OK done") } as never)).toBe(true);
    expect(got).toEqual([await parser(Buffer.from("* 1 FETCH (UID 7 FLAGS (\\Seen))"), { literals: [] })]);
    expect(counts.fast).toBe(1);
    expect(c.parsedByImapflow.map((p) => p.toString())).toEqual(["* 1 FETCH (UID 1:5)", "A1 OK done"]);
  });

  it("leaves a FETCH line to imapflow when no command of ours handles FETCH (an unsolicited flag change)", async () => {
    const c = connection(null);
    const counts: FetchLineCounts = { fast: 0 };
    imapflowInternals(c)?.readFetchLinesFirst(counts);
    await c.handleResponse({ ...framed("* 1 FETCH (UID 7 FLAGS (\\Seen))") } as never);
    expect(counts.fast).toBe(0);
    expect(c.parsedByImapflow).toHaveLength(1);
  });
});

describe("the public path's query", () => {
  it("asks imapflow for each item under the name it answers to", () => {
    expect(
      publicQuery([
        "ENVELOPE",
        "BODYSTRUCTURE",
        { section: "HEADER.FIELDS", fields: ["x-failed-recipients"] },
        { section: "2", start: 0, maxBytes: 4096 },
        { section: "3.HEADER.FIELDS", fields: ["RECEIVED"], start: 0, maxBytes: 8192 },
        { section: "", start: 0, maxBytes: 1024 },
      ]),
    ).toEqual({
      uid: true,
      envelope: true,
      bodyStructure: true,
      headers: ["X-FAILED-RECIPIENTS"],
      bodyParts: [
        { key: "2", start: 0, maxLength: 4096 },
        { key: "3.HEADER", start: 0, maxLength: 8192 },
      ],
      source: { start: 0, maxLength: 1024 },
    });
  });

  it("cuts a whole header down to the fields asked for, folded lines and all", () => {
    const block = Buffer.from("Received: from a\r\n\tby b\r\nSubject: hi\r\nDKIM-Signature: v=1;\r\n d=example.org\r\n\r\nbody");
    expect(onlyFields(block, ["RECEIVED", "DKIM-SIGNATURE"]).toString()).toBe("Received: from a\r\n\tby b\r\nDKIM-Signature: v=1;\r\n d=example.org\r\n\r\n");
  });
});
