// The read-ahead host (electron/engine/readAhead/reader.ts) against a scripted worker: chunks
// come in order, each asked for when the scanner takes it; anything unexpected (another range, another
// UIDVALIDITY, a failure, a worker that cannot start) makes every later take null, so the
// scanner reads on its own connection. And the pre-gate both threads share (gate.ts).
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { MessageEnvelopeObject } from "imapflow";
import { headersFromEnvelope } from "../../../electron/engine/bounce/envelope.js";
import { certainlyCandidate } from "../../../electron/engine/bounce/triage.js";
import { fromImapStructure } from "../../../electron/engine/mime/imapStructure.js";
import { splitUidRange } from "../../../electron/engine/context.js";
import { addPart, gateChunk, type GatedChunk } from "../../../electron/engine/readAhead/gate.js";
import { packChunk, packRows, unpackChunk, type FromWorker, type ReadAheadTask } from "../../../electron/engine/readAhead/protocol.js";
import { startReadAhead, type ReadAhead } from "../../../electron/engine/readAhead/reader.js";
import type { TriageRow } from "../../../electron/engine/ports.js";
import type { Account } from "../../../shared/model.js";
import { FIXTURES } from "../../harness/paths.js";

const SCRIPTED = pathToFileURL(join(FIXTURES, "readAhead", "scriptedWorker.mjs"));
const account = { id: 1, host: "127.0.0.1", port: 1, security: "plain", user: "alice@example.org" } as Account;

const chunk = (range: string): GatedChunk => ({ range, fetched: 2, maxUid: Number(range.split(":")[1]), scanned: 2, hinted: [] });
/** What the scripted worker sends: its chunks unpacked (it packs each as it sends it). */
type Scripted = Exclude<FromWorker, { kind: "chunk" }> | { kind: "chunk"; uidValidity: number; chunk: GatedChunk; bytes: number };
const sent = (range: string, bytes: number, uidValidity = 7): Scripted => ({ kind: "chunk", uidValidity, chunk: chunk(range), bytes });

const TASK: ReadAheadTask = {
  account,
  secret: "x",
  folder: "INBOX",
  afterUid: 0,
  chunkSize: 2,
  fetchUids: 1,
  lookaheadBytes: 1024,
  connections: 3,
  widenAfterMs: 1e9,
};

interface ScriptOptions {
  throwAtStart?: boolean;
  silent?: boolean;
  /** How long the scripted worker takes to answer each "next". */
  delayMs?: number;
  widenAfterMs?: number;
  signal?: AbortSignal;
}

function scripted(
  script: Scripted[],
  { throwAtStart = false, silent = false, delayMs = 0, widenAfterMs = TASK.widenAfterMs, signal }: ScriptOptions = {},
): ReadAhead {
  return startReadAhead({ ...TASK, widenAfterMs, script, throwAtStart, silent, delayMs } as ReadAheadTask, SCRIPTED, signal);
}

/** A chunk as the scripted worker stamps it: how many "next" and "widen" it had received when it was asked for. */
type Stamped = GatedChunk & { asked?: number; widened?: number };

describe("the read-ahead host", () => {
  it("hands over the chunks in order, asking the worker for each when the scanner takes it", async () => {
    const r = scripted([sent("1:2", 100), sent("3:4", 250), sent("5:6", 400), { kind: "end", bytes: 420 }]);
    try {
      const got: (Stamped | null)[] = [];
      for (const range of ["1:2", "3:4", "5:6"]) got.push(await r.take(range, 7));
      expect(got.map((c) => c?.range)).toEqual(["1:2", "3:4", "5:6"]);
      // Chunk n crossed to the scanner's heap on its n-th take, not before.
      expect(got.map((c) => c?.asked)).toEqual([1, 2, 3]);
      expect(r.bytes()).toBe(400);
      expect(await r.take("7:8", 7)).toBeNull(); // the worker ended: the scanner reads on
      expect(r.bytes()).toBe(420);
    } finally {
      await r.close();
    }
  });

  it.each([
    ["once the scanner has waited that long for chunks in all, and once only", 0, [0, 0, 1, 1, 1]],
    ["never while the scanner has not waited that long", 1e9, [0, 0, 0, 0, 0]],
  ])("asks the worker to read with more connections %s", async (_when, widenAfterMs, widened) => {
    const ranges = ["1:2", "3:4", "5:6", "7:8", "9:10"];
    // A slow worker: the scanner waits for every chunk it has not been sent ahead.
    const r = scripted([...ranges.map((range) => sent(range, 100)), { kind: "end", bytes: 100 }], { delayMs: 30, widenAfterMs });
    try {
      const got: (Stamped | null)[] = [];
      for (const range of ranges) got.push(await r.take(range, 7));
      expect(got.map((c) => c?.range)).toEqual(ranges);
      // The first two were asked for together, before any wait; the request after a wait finds the worker told.
      expect(got.map((c) => c?.widened)).toEqual(widened);
    } finally {
      await r.close();
    }
  });

  it.each([
    ["another range (the folder grew between the two opens)", "1:3", 7],
    ["another UIDVALIDITY (the folder was recreated)", "1:2", 8],
  ])("gives up on %s, and stays given up", async (_why, range, uidValidity) => {
    const r = scripted([sent("1:2", 100), sent("3:4", 200)]);
    expect(await r.take(range, uidValidity)).toBeNull();
    expect(await r.take("3:4", 7)).toBeNull();
    await r.close();
  });

  it("stops waiting for a silent worker when the user cancels", async () => {
    const cancel = new AbortController();
    const r = scripted([sent("1:2", 100)], { silent: true, signal: cancel.signal });
    const taken = r.take("1:2", 7);
    setTimeout(() => cancel.abort(), 50);
    expect(await taken).toBeNull();
    expect(await r.take("1:2", 7)).toBeNull();
    await r.close();
  });

  it("gives up when the worker fails, cannot start, or does not exist", async () => {
    const failing = scripted([{ kind: "failed", message: "LOGIN refused", bytes: 80 }]);
    expect(await failing.take("1:2", 7)).toBeNull();
    expect(failing.bytes()).toBe(80);
    const broken = scripted([], { throwAtStart: true });
    expect(await broken.take("1:2", 7)).toBeNull();
    const missing = startReadAhead(TASK, pathToFileURL(join(FIXTURES, "readAhead", "no-such-worker.mjs")));
    expect(await missing.take("1:2", 7)).toBeNull();
    await Promise.all([failing.close(), broken.close(), missing.close(), missing.close()]);
  });
});

const row = (
  uid: number,
  over: Partial<TriageRow> = {},
  envelope: MessageEnvelopeObject = { subject: "Lunch?", from: [{ name: "Bob", address: "bob@example.org" }] },
): TriageRow => ({
  uid,
  deleted: false,
  envelope,
  structure: { type: "text/plain", part: "1" } as TriageRow["structure"],
  ...over,
});

describe("gateChunk", () => {
  it("counts what it scanned, keeps the automated-looking rows with why, and moves the checkpoint past \\Deleted ones", () => {
    const bounce = row(
      12,
      {},
      { subject: "Undelivered Mail Returned to Sender", from: [{ name: "Mail Delivery System", address: "MAILER-DAEMON@mx.example" }] },
    );
    const gated = gateChunk("10:20", [row(9), row(10), bounce, row(14, { deleted: true }), row(13, { structure: undefined })], 9);
    expect(gated).toMatchObject({ range: "10:20", fetched: 4, maxUid: 14, scanned: 3 });
    expect(gated.hinted.map((h) => [h.uid, h.hint])).toEqual([
      [12, "system-sender"],
      [13, "report-part"],
    ]);
  });

  it("hands on, for each row it keeps, the triage fields of its envelope and whether they make it a candidate, as plain data", () => {
    const dsn = row(
      21,
      { structure: { type: "multipart/report", part: "", parameters: { "report-type": "delivery-status" }, childNodes: [] } as TriageRow["structure"] },
      { subject: "Undelivered", date: new Date("2024-05-01T10:00:00Z"), from: [{ name: "", address: "postmaster@mx.example" }] },
    );
    const reply = row(
      22,
      {},
      { subject: "Re: Lunch?", date: "not a date", inReplyTo: "<a1@example.org>", from: [{ name: "Bob", address: "bob@example.org" }] },
    );
    const [first, second] = gateChunk("21:22", [dsn, reply], 20).hinted;
    expect(first).toMatchObject({ uid: 21, hint: "report-part", date: Date.parse("2024-05-01T10:00:00Z"), inReplyTo: null, certain: true });
    expect(second).toMatchObject({ uid: 22, hint: "reply", date: null, inReplyTo: "<a1@example.org>", certain: false });
    for (const [gated, source] of [
      [first, dsn],
      [second, reply],
    ] as const) {
      const headers = headersFromEnvelope(source.envelope, source.structure);
      expect(gated?.fields).toEqual(headers.fields);
      expect(gated?.certain).toBe(certainlyCandidate(headers));
      expect(gated?.root).toEqual(source.structure ? fromImapStructure(source.structure) : null);
    }
    // The fields name the report's type, from the structure: what made it certain.
    expect(first?.fields.find((f) => f.name === "content-type")?.raw).toMatch(/^multipart\/report; report-type="delivery-status"/);
  });

  it("keeps the checkpoint where it was when nothing new came", () => {
    expect(gateChunk("5:9", [], 4)).toEqual({ range: "5:9", fetched: 0, maxUid: 4, scanned: 0, hinted: [] });
  });

  it("gates a chunk read in parts, each gated on its own (as the worker reads it), exactly as the whole chunk at once", () => {
    const bounce = (uid: number): TriageRow =>
      row(uid, {}, { subject: "Undelivered Mail Returned to Sender", from: [{ name: "", address: "MAILER-DAEMON@mx.example" }] });
    const rows = [row(9), bounce(10), row(11, { deleted: true }), row(12), bounce(13), row(14, { structure: undefined }), bounce(15), row(16)];
    const whole = gateChunk("10:16", rows, 9);
    const inParts = gateChunk("10:16", [], 9);
    const parts: [string, TriageRow[]][] = [
      ["10:11", rows.slice(0, 3)],
      ["12:12", []],
      ["12:14", rows.slice(3, 6)],
      ["15:16", rows.slice(6)],
    ];
    for (const [range, part] of parts) expect(addPart(inParts, gateChunk(range, part, 9))).toBe(inParts);
    expect(inParts).toEqual(whole);
    expect(whole).toMatchObject({ fetched: 7, maxUid: 16, scanned: 6 });
    expect(whole.hinted.map((h) => h.uid)).toEqual([10, 13, 14, 15]);
  });
});

describe("splitUidRange", () => {
  it("cuts a chunk's range into consecutive parts of at most the size, the last one shorter", () => {
    expect(splitUidRange("501:1000", 100)).toEqual(["501:600", "601:700", "701:800", "801:900", "901:1000"]);
    expect(splitUidRange("2501:2600", 100)).toEqual(["2501:2600"]);
    expect(splitUidRange("2501:2555", 100)).toEqual(["2501:2555"]);
    expect(splitUidRange("7:7", 100)).toEqual(["7:7"]);
    expect(splitUidRange("1:250", 100)).toEqual(["1:100", "101:200", "201:250"]);
  });
});

describe("a packed chunk", () => {
  it("unpacks to the chunk that was packed, part trees, binary strings and missing structures included, in a buffer of its own", () => {
    const ENV = { subject: "Hi", date: new Date("2024-05-01T09:00:00Z"), messageId: "<orig@example.org>", from: [{ name: "Al", address: "al@example.org" }] };
    const report = {
      type: "multipart/report",
      part: "",
      parameters: { "report-type": "delivery-status" },
      childNodes: [
        { type: "text/plain", part: "1", parameters: { charset: "utf-8" } },
        { type: "message/rfc822", part: "2", envelope: ENV, childNodes: [{ type: "text/plain", part: "2" }] },
      ],
    } as TriageRow["structure"];
    const bounce = row(
      12,
      { structure: report },
      {
        subject: "Unzustellbar: \u00dcbermittlung \ud83d\udce8",
        date: new Date("2024-05-01T10:00:00Z"),
        from: [{ name: "J\u00f6rg", address: "MAILER-DAEMON@mx.example" }],
      },
    );
    const gated = gateChunk("10:20", [bounce, row(13, { structure: undefined })], 9);
    expect(gated.hinted.map((h) => h.root === null)).toEqual([false, true]);
    expect(gated.hinted[0]?.root?.children[1]?.message?.header).toContain("Message-ID: <orig@example.org>");
    expect(gated.hinted[0]?.fields.find((f) => f.name === "subject")?.raw).toBe(Buffer.from("Unzustellbar: \u00dcbermittlung \ud83d\udce8").toString("latin1"));
    const packed = packChunk(gated);
    expect(packed.byteOffset).toBe(0);
    expect(packed.buffer.byteLength).toBe(packed.byteLength); // transferable on its own, no pool behind it
    expect(unpackChunk(packed)).toEqual(gated);
  });

  it("packs a chunk whose rows were packed part by part (as the worker packs them) to the same bytes as all at once", () => {
    const bounce = (uid: number): TriageRow =>
      row(
        uid,
        {},
        { subject: "Undelivered Mail Returned to Sender", date: new Date("2024-05-01T10:00:00Z"), from: [{ name: "", address: "MAILER-DAEMON@mx.example" }] },
      );
    const rows = [bounce(10), row(11), bounce(12), row(13), row(14), bounce(15), bounce(16)];
    const whole = gateChunk("10:16", rows, 9);
    const inParts = gateChunk("10:16", [], 9);
    const packedRows = [rows.slice(0, 2), rows.slice(2, 3), rows.slice(3, 5), rows.slice(5)].map((part) => {
      const { hinted, ...counts } = gateChunk("10:16", part, 9);
      addPart(inParts, { ...counts, hinted: [] });
      return packRows(hinted);
    });
    expect(packedRows.map((p) => p.length > 0)).toEqual([true, true, false, true]);
    expect(inParts.hinted).toEqual([]);
    expect(Buffer.from(packChunk(inParts, packedRows)).toString()).toBe(Buffer.from(packChunk(whole)).toString());
    expect(unpackChunk(packChunk(inParts, packedRows))).toEqual(whole);
    // Rows packed ahead come first, then those still in the chunk; a chunk with none is a chunk.
    const tail = gateChunk("10:16", rows.slice(5), 9);
    expect(unpackChunk(packChunk(tail, [packRows(whole.hinted.slice(0, 2))])).hinted.map((h) => h.uid)).toEqual([10, 12, 15, 16]);
    expect(unpackChunk(packChunk(gateChunk("17:20", [], 16)))).toEqual({ range: "17:20", fetched: 0, maxUid: 16, scanned: 0, hinted: [] });
  });
});
