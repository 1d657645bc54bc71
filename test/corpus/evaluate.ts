/**
 * Compares our parser with Sisimai's answers (../shared/corpus/sisimai-oracle.jsonl) over the
 * whole corpus. Used by the corpus test (which asserts the thresholds) and by
 * `npm run -s corpus` (which prints the table).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRawMessage } from "../../electron/engine/bounce/index.js";
import { TRIAGE_FIELDS, triage } from "../../electron/engine/bounce/triage.js";
import { listMessageFiles, readMessages } from "../../electron/engine/cli/files.js";
import { parseMessage } from "../../electron/engine/mime/tree.js";
import { normaliseMessageId } from "../../shared/messageId.js";
import type { Report } from "../../shared/model.js";
import { CORPUS, SISIMAI } from "../harness/paths.js";

interface OracleRecord {
  messageid: string | null;
  recipient: string | null;
  reason: string | null;
}
interface OracleLine {
  file: string;
  bounce: boolean;
  reason: string | null;
  records?: OracleRecord[];
}

export interface FileResult {
  file: string;
  reports: Report[];
  triaged: boolean[];
  oracle: OracleLine | undefined;
}

export interface Evaluation {
  files: number;
  messages: number;
  sisimaiBounces: number;
  recognised: number;
  missed: string[];
  idRecords: number;
  idAgreed: number;
  idMissed: string[];
  recipientRecords: number;
  recipientAgreed: number;
  notBounceFalsePositives: string[];
  /** Files Sisimai 4.25 finds nothing in that we call automated: check these by hand. */
  beyondSisimai: string[];
  /** Messages parseReport calls automated that triage would have turned away: must be none. */
  triageRejectedAutomated: string[];
  results: FileResult[];
}

export function loadOracle(): Map<string, OracleLine> {
  const lines = readFileSync(join(CORPUS, "sisimai-oracle.jsonl"), "utf8").trim().split("\n");
  return new Map(lines.map((l) => JSON.parse(l) as OracleLine).map((o) => [o.file, o]));
}

const ANSWERS_NOT_BOUNCES = new Set(["vacation", "feedback"]);

export async function evaluateCorpus(): Promise<Evaluation> {
  const oracle = loadOracle();
  const files = await listMessageFiles(SISIMAI, SISIMAI);
  const ev: Evaluation = {
    files: files.length,
    messages: 0,
    sisimaiBounces: 0,
    recognised: 0,
    missed: [],
    idRecords: 0,
    idAgreed: 0,
    idMissed: [],
    recipientRecords: 0,
    recipientAgreed: 0,
    notBounceFalsePositives: [],
    beyondSisimai: [],
    triageRejectedAutomated: [],
    results: [],
  };
  for (const file of files) {
    const messages = await readMessages(file.path);
    const reports = messages.map((m) => parseRawMessage(m));
    const triaged = messages.map((m) => triage(parseMessage(m.toString("latin1")).headers.only(TRIAGE_FIELDS)).candidate);
    const o = oracle.get(file.label);
    ev.results.push({ file: file.label, reports, triaged, oracle: o });
    ev.messages += messages.length;
    reports.forEach((r, i) => {
      if (r.kind !== "not-automated" && !triaged[i]) ev.triageRejectedAutomated.push(`${file.label}#${i}`);
    });
    const automated = reports.some((r) => r.kind !== "not-automated");
    if (/^maildir\/not\/is-not-bounce-/.test(file.label) && reports.some((r) => r.kind === "bounce")) ev.notBounceFalsePositives.push(file.label);
    if (!o?.bounce) {
      if (automated) ev.beyondSisimai.push(file.label);
      continue;
    }
    if (ANSWERS_NOT_BOUNCES.has(o.reason ?? "")) continue;
    ev.sisimaiBounces++;
    if (automated) ev.recognised++;
    else ev.missed.push(file.label);
    const ours = new Set(reports.flatMap((r) => r.references.map((ref) => ref.messageId)));
    const recipients = new Set(reports.flatMap((r) => r.recipients.map((x) => x.address)));
    for (const record of o.records ?? []) {
      const id = record.messageid ? normaliseMessageId(record.messageid) : null;
      if (id) {
        ev.idRecords++;
        if (ours.has(id)) ev.idAgreed++;
        else ev.idMissed.push(`${file.label} ${id}`);
      }
      if (record.recipient) {
        ev.recipientRecords++;
        if (recipients.has(record.recipient.toLowerCase())) ev.recipientAgreed++;
      }
    }
  }
  return ev;
}

const pct = (a: number, b: number): string => (b === 0 ? "n/a" : `${((100 * a) / b).toFixed(2)}%`);

export function summarise(ev: Evaluation): string {
  return [
    `files ${ev.files}, messages ${ev.messages}`,
    `recognised ${ev.recognised}/${ev.sisimaiBounces} Sisimai bounces (${pct(ev.recognised, ev.sisimaiBounces)}), missed: ${ev.missed.join(", ") || "none"}`,
    `Message-ID agreement ${ev.idAgreed}/${ev.idRecords} (${pct(ev.idAgreed, ev.idRecords)})`,
    `recipient agreement ${ev.recipientAgreed}/${ev.recipientRecords} (${pct(ev.recipientAgreed, ev.recipientRecords)})`,
    `false positives on maildir/not/is-not-bounce-*: ${ev.notBounceFalsePositives.length}`,
    `automated where Sisimai 4.25 found nothing: ${ev.beyondSisimai.length} (${ev.beyondSisimai.join(", ")})`,
    `automated but rejected by triage: ${ev.triageRejectedAutomated.length}`,
  ].join("\n");
}
