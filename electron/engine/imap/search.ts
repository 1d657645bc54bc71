/** The scan's SEARCH criteria as imapflow search queries, in commands short enough for any server. */
import type { SearchObject } from "imapflow";
import type { SearchCriterion } from "../ports.js";

/** Characters of SEARCH keys per command, well under the 8,192 octets a server must take for a line. */
const SEARCH_CHARS = 3000;

/** `criteria` in groups whose keys (`OR HEADER name "value"`, about) stay within {@link SEARCH_CHARS}. */
export function searchGroups(criteria: readonly SearchCriterion[]): SearchCriterion[][] {
  const groups: SearchCriterion[][] = [];
  let size = Infinity;
  for (const c of criteria) {
    const length = 16 + Buffer.byteLength("field" in c ? c.field + c.value : "subject" in c ? c.subject : c.from);
    if (size + length > SEARCH_CHARS) {
      groups.push([]);
      size = 0;
    }
    groups[groups.length - 1]?.push(c);
    size += length;
  }
  return groups;
}

/** One group of criteria as an imapflow query: live messages in `range` meeting any of them. */
export function searchQuery(range: string, group: readonly SearchCriterion[]): SearchObject {
  const or = group.map((c) => ("field" in c ? { header: { [c.field]: c.value } } : "subject" in c ? { subject: c.subject } : { from: c.from }));
  return { uid: range, deleted: false, or };
}
