/** Results in one line, for a notification, the tray and the dashboard. Pure. */
import type { ScanSummary } from "./model.js";

/** A background scan's result in one line: "37 backscatter moved, 2 to review". */
export function summarizeBackground(s: Pick<ScanSummary, "moved" | "counts" | "errors">): string {
  const review = s.counts.unverifiable + Math.max(0, s.counts.backscatter - s.moved);
  const parts = [
    s.moved > 0 || review === 0 ? `${s.moved.toLocaleString("en")} backscatter moved` : null,
    review > 0 ? `${review.toLocaleString("en")} to review` : null,
  ].filter(Boolean);
  const errors = s.errors.length > 0 ? `; ${s.errors.length.toLocaleString("en")} could not be read` : "";
  return s.moved === 0 && review === 0 && errors === "" ? "No new backscatter" : `${parts.join(", ")}${errors}`;
}
