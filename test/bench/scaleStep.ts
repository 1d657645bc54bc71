/**
 * One measured step of the scale benchmark, in a process of its own so that its peak RSS is its
 * own: `node --expose-gc scaleStep.js STEP PORT DB [N]`. Prints one JSON line: seconds, bytes read
 * from the server's socket (counted by imapflow the same way for every step), peak RSS, the heap
 * still in use after a full collection once the step is done, and details.
 *   floor  UID + ENVELOPE + BODYSTRUCTURE of every INBOX and Sent message, nothing else
 *   naive  the full source of every INBOX message, each parsed with mailparser
 *   scan   the engine's scan (index + scan), dry run; `apply` as the 4th argument moves too
 *   move   the engine's move of the first N backscatter items
 */
import { ImapFlow } from "imapflow";
import { simpleParser } from "mailparser";
import { openDatabase } from "../../electron/engine/db/open.js";
import { limitHeapGrowth } from "../../electron/engine/host/heap.js";
import { createEngine } from "../../electron/engine/index.js";
import { memorySecrets } from "../../electron/engine/secrets.js";

export interface StepResult {
  seconds: number;
  bytes: number;
  maxRssMb: number;
  /** CPU time of this process (user + system) over the whole step, to tell waiting from working. */
  cpuSeconds: number;
  /**
   * The heap still in use after a full collection at the end (null without --expose-gc): what the
   * step keeps, where peak RSS also counts the garbage V8 lets pile up between collections.
   */
  heapKeptMb: number | null;
  detail: Record<string, number>;
}

const USER = "alice@example.org";
const PASSWORD = "alice-secret";

async function withImap<T>(port: number, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const c = new ImapFlow({ host: "127.0.0.1", port, secure: false, doSTARTTLS: false, auth: { user: USER, pass: PASSWORD }, logger: false });
  c.on("error", () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.logout().catch(() => c.close());
  }
}

async function inFolder(c: ImapFlow, folder: string, fn: () => Promise<void>): Promise<void> {
  const lock = await c.getMailboxLock(folder);
  try {
    if (c.mailbox && c.mailbox.exists > 0) await fn();
  } finally {
    lock.release();
  }
}

type Measured = Omit<StepResult, "maxRssMb" | "cpuSeconds" | "heapKeptMb">;

async function floor(port: number): Promise<Measured> {
  return withImap(port, async (c) => {
    c.stats(true);
    const t0 = performance.now();
    let messages = 0;
    for (const folder of ["INBOX", "Sent"]) {
      await inFolder(c, folder, async () => {
        for await (const m of c.fetch("1:*", { uid: true, envelope: true, bodyStructure: true })) if (m.uid) messages++;
      });
    }
    return { seconds: (performance.now() - t0) / 1000, bytes: c.stats().received, detail: { messages } };
  });
}

async function naive(port: number): Promise<Measured> {
  return withImap(port, async (c) => {
    c.stats(true);
    const t0 = performance.now();
    let messages = 0;
    let attachments = 0;
    await inFolder(c, "INBOX", async () => {
      for await (const m of c.fetch("1:*", { uid: true, source: true })) {
        if (!m.source) continue;
        const parsed = await simpleParser(m.source);
        attachments += parsed.attachments.length;
        messages++;
      }
    });
    return { seconds: (performance.now() - t0) / 1000, bytes: c.stats().received, detail: { messages, attachments } };
  });
}

async function engineStep(port: number, db: string, what: "scan" | "apply" | "move", n: number): Promise<Measured> {
  // As every engine host does (the CLI, Electron's utility process); the floor and naive steps run as plain scripts.
  limitHeapGrowth();
  const database = openDatabase(db);
  const engine = createEngine({ db: database, secrets: memorySecrets() });
  const existing = (await engine.accountList({}))[0];
  const account = existing ?? (await engine.accountAdd({ account: { host: "127.0.0.1", port, security: "plain", user: USER } }));
  await engine.accountUpdate({ accountId: account.id, changes: {}, secret: PASSWORD });
  const t0 = performance.now();
  if (what === "move") {
    // The bench picks the items with one query, so the step measures the move, not the picking.
    const ids = database
      .prepare<[number, number], { id: number }>(
        "SELECT id FROM item WHERE account_id = ? AND verdict = 'backscatter' AND state = 'flagged' ORDER BY id LIMIT ?",
      )
      .all(account.id, n)
      .map((r) => r.id);
    const r = await engine.move({ accountId: account.id, itemIds: ids });
    return { seconds: (performance.now() - t0) / 1000, bytes: 0, detail: { moved: r.moved, failed: r.failed.length } };
  }
  const r = await engine.scan({ accountId: account.id, apply: what === "apply" });
  return {
    seconds: (performance.now() - t0) / 1000,
    bytes: r.bytesFetched,
    detail: {
      scanned: r.scanned,
      candidates: r.candidates,
      backscatter: r.counts.backscatter,
      legit: r.counts.legit,
      unverifiable: r.counts.unverifiable,
      moved: r.moved,
      errors: r.errors.length,
    },
  };
}

if (process.argv[1]?.endsWith("scaleStep.js")) {
  const [step, portArg, db = "", nArg = "0"] = process.argv.slice(2);
  const port = Number(portArg);
  const run =
    step === "floor"
      ? floor(port)
      : step === "naive"
        ? naive(port)
        : engineStep(port, db, step === "apply" ? "apply" : step === "move" ? "move" : "scan", Number(nArg));
  const result = await run;
  const cpu = process.cpuUsage();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapKeptMb = gc ? process.memoryUsage().heapUsed / 1e6 : null;
  const out: StepResult = { ...result, maxRssMb: process.resourceUsage().maxRSS / 1024, cpuSeconds: (cpu.user + cpu.system) / 1e6, heapKeptMb };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
