// The scanner's path: BODYSTRUCTURE → selectParts → fetched sections → parseReport must give the
// same Report as the whole file. BODYSTRUCTURE and the sections are produced here from the file
// the way an IMAP server answers them; the engine's Dovecot tests do it against a real server.
import { describe, expect, it } from "vitest";
import { parseRawMessage, parseReport, selectParts } from "../../../electron/engine/bounce/index.js";
import { attachFetched, fromImapStructure, sectionKey, type ImapBodyStructure } from "../../../electron/engine/mime/imapStructure.js";
import { parseMessage, type PartNode } from "../../../electron/engine/mime/tree.js";
import { fixture } from "../../harness/fixtures.js";

function structureOf(node: PartNode): ImapBodyStructure {
  const s: ImapBodyStructure = { part: node.part, type: node.type, parameters: node.params, size: node.size };
  if (node.encoding) s.encoding = node.encoding;
  if (node.disposition) s.disposition = node.disposition;
  if (node.filename) s.dispositionParameters = { filename: node.filename };
  if (node.type.startsWith("multipart/")) s.childNodes = node.children.map(structureOf);
  if (node.message) {
    s.childNodes = [structureOf(node.message.root)];
    s.envelope = node.message.headerless ? {} : { subject: "x" };
  }
  return s;
}

function serverSections(root: PartNode): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const visit = (node: PartNode): void => {
    if (node.body !== undefined) out.set(sectionKey(node.part, "body"), Buffer.from(node.body, "latin1"));
    if (node.message?.header !== undefined) out.set(sectionKey(node.part, "header"), Buffer.from(node.message.header, "latin1"));
    node.children.forEach(visit);
  };
  visit(root);
  return out;
}

const FILES = ["real/lhost-postfix-01.eml", "real/lhost-sendmail-01.eml", "real/lhost-qmail-01.eml", "real/lhost-exchange2007-01.eml", "real/arf-01.eml", "synthetic/dsn-message-global.eml", "synthetic/mdn-read-receipt.eml", "synthetic/trap-forwarded-bounce-attachment.eml"];

describe("reports from IMAP parts", () => {
  it.each(FILES)("%s", (file) => {
    const raw = fixture(file);
    const parsed = parseMessage(raw.toString("latin1"));
    const root = fromImapStructure(structureOf(parsed.root));
    const requests = selectParts(root);
    const all = serverSections(parsed.root);
    const fetched = new Map(requests.map((r) => [sectionKey(r.part, r.section), all.get(sectionKey(r.part, r.section)) ?? Buffer.alloc(0)]));
    attachFetched(root, fetched, new Map(requests.map((r) => [sectionKey(r.part, r.section), r.maxBytes])));
    const fromImap = parseReport({ headers: parsed.headers, root, problems: parsed.problems });
    // Everything but `error`: only the whole file can show that it was truncated.
    expect({ ...fromImap, error: null }).toEqual({ ...parseRawMessage(raw), error: null });
    expect(requests.length).toBeGreaterThan(0);
  });
});
