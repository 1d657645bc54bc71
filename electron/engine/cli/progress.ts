/** Progress on stderr: a bar on a terminal, plain lines otherwise (one per phase and folder). */
import type { Progress } from "../../../shared/model.js";

export function progressPrinter(write: (text: string) => void, tty: boolean): (p: Progress) => void {
  let last = "";
  return (p) => {
    const label = `${p.phase}${p.folder ? ` ${p.folder}` : ""}`;
    if (tty) {
      const width = 30;
      const filled = p.total > 0 ? Math.round((width * Math.min(p.done, p.total)) / p.total) : width;
      write(`\r${label.padEnd(24).slice(0, 24)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${p.done}/${p.total}   `);
      if (p.done >= p.total) write("\n");
      return;
    }
    const line = `${label}: ${p.done}/${p.total}`;
    if (label !== last || p.done >= p.total) write(`${line}\n`);
    last = label;
  };
}
