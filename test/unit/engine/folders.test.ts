import { describe, expect, it } from "vitest";
import { destinationPath, findJunkFolders, findSentFolders, scanFoldersOf } from "../../../electron/engine/imap/folders.js";
import type { FolderInfo } from "../../../electron/engine/ports.js";

const f = (path: string, delimiter = "/", specialUse: string | null = null): FolderInfo => ({
  path,
  name: path.split(delimiter).pop() ?? path,
  delimiter,
  specialUse,
  flags: [],
});

describe("folders", () => {
  it("prefers SPECIAL-USE", () => {
    expect(findSentFolders([f("INBOX"), f("Sent"), f("Outbox Archive", "/", "\\Sent")])).toEqual(["Outbox Archive"]);
    expect(findSentFolders([f("INBOX"), f("[Gmail]/Sent Mail", "/", "\\Sent"), f("[Gmail]/All Mail", "/", "\\All")])).toEqual(["[Gmail]/Sent Mail"]);
  });

  it("falls back to names in common languages", () => {
    expect(findSentFolders([f("INBOX"), f("INBOX.Sent Items", ".")])).toEqual(["INBOX.Sent Items"]);
    expect(findSentFolders([f("INBOX"), f("Gesendete Elemente")])).toEqual(["Gesendete Elemente"]);
    expect(findSentFolders([f("INBOX"), f("Envoyés")])).toEqual(["Envoyés"]);
    expect(findJunkFolders([f("INBOX"), f("Junk Email")])).toEqual(["Junk Email"]);
  });

  it("never scans Gmail's All Mail, Important or Starred as an inbox, by SPECIAL-USE or by name, and says which it left out", () => {
    const gmail = [
      f("INBOX"),
      f("[Gmail]/All Mail", "/", "\\All"),
      f("[Gmail]/Wichtig", "/", "\\Important"),
      f("[Gmail]/Markiert", "/", "\\Flagged"),
      f("[Gmail]/Spam", "/", "\\Junk"),
      f("[Google Mail]/All Mail"),
      f("Work"),
    ];
    expect(scanFoldersOf(["INBOX", "Junk", "[Gmail]/All Mail", "[Gmail]/Wichtig", "[Gmail]/Markiert", "[Google Mail]/All Mail", "Work"], gmail)).toEqual({
      scan: ["INBOX", "[Gmail]/Spam", "Work"],
      aggregates: ["[Gmail]/All Mail", "[Gmail]/Wichtig", "[Gmail]/Markiert", "[Google Mail]/All Mail"],
    });
    expect(scanFoldersOf(["INBOX"], [f("INBOX")])).toEqual({ scan: ["INBOX"], aggregates: [] });
  });

  it("puts the destination in the personal namespace with the server's delimiter", () => {
    expect(destinationPath("Backscatter", [f("INBOX", ".")], { prefix: "INBOX.", delimiter: "." })).toEqual({ path: "INBOX.Backscatter", exists: false });
    expect(destinationPath("Backscatter", [f("INBOX"), f("Backscatter")], { prefix: "", delimiter: "/" })).toEqual({ path: "Backscatter", exists: true });
    expect(destinationPath("Cleanup/Backscatter", [f("INBOX", ".")], { prefix: "INBOX.", delimiter: "." }).path).toBe("INBOX.Cleanup.Backscatter");
  });
});
