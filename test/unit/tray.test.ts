// The desktop app's OS side without the Electron binary: the tray controller with a fake client
// and fake menu/notifications, launch at login (the XDG autostart file on Linux in a temp dir,
// Electron's login item elsewhere), and main's routing of its own requests apart from the windows'.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { BackgroundResult, ScheduleState, WatchState } from "../../shared/api.js";
import type { ServerMessage } from "../../shared/rpc.js";
import { autostartEntry, autostartFile, launchAtLogin } from "../../electron/main/loginItem.js";
import { handleEngineMessage, MAIN_FIRST_ID } from "../../electron/main/relay.js";
import { createTray, lastLine, watchLine, type MenuItem } from "../../electron/main/tray.js";
import { memorySecrets } from "../../electron/engine/secrets.js";

const dir = mkdtempSync(join(tmpdir(), "bss-tray-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const result = (over: Partial<BackgroundResult> = {}): BackgroundResult => ({
  accountId: 1,
  at: 1000,
  source: "schedule",
  text: "37 backscatter moved, 2 to review",
  error: null,
  alarm: null,
  flood: null,
  ...over,
});

function fakeTray() {
  let state: ScheduleState = {
    paused: false,
    accounts: [{ accountId: 1, user: "alice@example.org", everyMinutes: 30, nextAt: 5000, last: null, watch: null }],
  };
  const calls: string[] = [];
  const notes: [string, string][] = [];
  let menu: MenuItem[] = [];
  let tooltip = "";
  let login = false;
  const timers: (() => void)[] = [];
  const tray = createTray({
    client: {
      scheduleStatus: async () => state,
      schedulePause: async ({ paused }) => (calls.push(`pause:${paused}`), (state = { ...state, paused })),
      scheduleRunNow: async (args) => (calls.push(`runNow:${JSON.stringify(args)}`), state),
    },
    setMenu: (items, tip) => ((menu = items), (tooltip = tip)),
    notify: (title, body) => void notes.push([title, body]),
    showWindow: () => void calls.push("show"),
    quit: () => void calls.push("quit"),
    launchAtLogin: { get: () => login, set: (on) => void (login = on) },
    setTimeout: (fn) => void timers.push(fn),
  });
  const click = async (label: string): Promise<void> => {
    const item = menu.find((m) => m.label === label);
    expect(item, `menu item "${label}" in ${JSON.stringify(menu.map((m) => m.label))}`).toBeDefined();
    item?.click?.();
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return {
    tray,
    calls,
    notes,
    click,
    menu: () => menu,
    tooltip: () => tooltip,
    timers,
    setLast: (last: BackgroundResult) => (state = { ...state, accounts: state.accounts.map((a) => ({ ...a, last })) }),
    setWatch: (watch: WatchState | null) => (state = { ...state, accounts: state.accounts.map((a) => ({ ...a, watch })) }),
    login: () => login,
  };
}

describe("the tray", () => {
  it("offers scan now, pause/resume, open, the last result, launch at login and quit, each doing what it says", async () => {
    const t = fakeTray();
    await t.tray.refresh();
    expect(t.menu().map((m) => m.label)).toEqual([
      "Scan now",
      "Pause scheduled scans",
      "Open Backscatter Sweeper",
      "",
      "No background scan yet",
      "",
      "Launch at login",
      "Quit",
    ]);
    expect(t.menu().find((m) => m.label === "No background scan yet")?.enabled).toBe(false);
    await t.click("Scan now");
    await t.click("Pause scheduled scans");
    expect(t.menu()[1]?.label).toBe("Resume scheduled scans");
    expect(t.tooltip()).toContain("(paused)");
    await t.click("Resume scheduled scans");
    await t.click("Open Backscatter Sweeper");
    await t.click("Launch at login");
    expect(t.login()).toBe(true);
    expect(t.menu().find((m) => m.label === "Launch at login")?.checked).toBe(true);
    await t.click("Quit");
    expect(t.calls).toEqual(["runNow:{}", "pause:true", "pause:false", "show", "quit"]);
  });

  it("notifies after a background scan that found something or failed, quietly otherwise, and shows the last result", async () => {
    const t = fakeTray();
    await t.tray.refresh();
    t.setLast(result());
    t.tray.onEvent({ event: "background", payload: result() });
    t.tray.onEvent({ event: "background", payload: result({ text: "No new backscatter" }) });
    t.tray.onEvent({
      event: "background",
      payload: result({ text: "The scheduled scan of alice@example.org failed: wrong password", error: "wrong password" }),
    });
    t.tray.onEvent({ event: "progress", payload: { phase: "triage", done: 1, total: 2, accountId: 1 } });
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(t.notes).toEqual([
      ["Backscatter Sweeper", "alice@example.org: 37 backscatter moved, 2 to review"],
      ["A scheduled scan failed", "The scheduled scan of alice@example.org failed: wrong password"],
    ]);
    expect(t.menu().some((m) => m.label === "Last: 37 backscatter moved, 2 to review")).toBe(true);
  });

  it("raises the account-misuse alarm in a notification of its own, even when nothing else is new", async () => {
    const t = fakeTray();
    await t.tray.refresh();
    const alarm =
      "1 bounce shows mail sent through your own account since 2026-12-01, not just with your address: someone may have your password. They stay in your inbox as the proof.";
    t.tray.onEvent({ event: "background", payload: result({ text: "No new backscatter", alarm }) });
    t.tray.onEvent({ event: "background", payload: result({ alarm }) });
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(t.notes).toEqual([
      ["Your account may be sending spam", `alice@example.org: ${alarm}`],
      ["Backscatter Sweeper", "alice@example.org: 37 backscatter moved, 2 to review"],
      ["Your account may be sending spam", `alice@example.org: ${alarm}`],
    ]);
  });

  it("shows what is watched and its last sweep, stays quiet at each sweep, and notifies when a flood starts or watching stops", async () => {
    const t = fakeTray();
    const at = new Date(2026, 11, 6, 14, 3).getTime();
    t.setWatch({ mode: "watching", since: 0, lastSweep: { at, text: "3 backscatter moved" }, flood: null, problem: null });
    await t.tray.refresh();
    expect(t.menu().map((m) => m.label)).toContain("Watching alice@example.org; last sweep 14:03: 3 backscatter moved");
    expect(t.tooltip()).toBe("Backscatter Sweeper — Watching alice@example.org; last sweep 14:03: 3 backscatter moved");
    const flood = "A flood of backscatter started at 14:02: 31 swept so far.";
    t.tray.onEvent({ event: "background", payload: result({ source: "watch", text: "3 backscatter moved" }) });
    t.tray.onEvent({ event: "background", payload: result({ source: "watch", text: flood, flood }) });
    t.tray.onEvent({
      event: "background",
      payload: result({ source: "watch", text: "Watching alice@example.org stopped: wrong password", error: "wrong password" }),
    });
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(t.notes).toEqual([
      ["Backscatter flood", `alice@example.org: ${flood}`],
      ["Watching stopped", "Watching alice@example.org stopped: wrong password"],
    ]);
    expect(watchLine({ paused: false, accounts: [] })).toBeNull();
  });

  it("scans after the computer wakes, once the network had time to come back", async () => {
    const t = fakeTray();
    t.tray.onResume();
    expect(t.calls).toEqual([]);
    t.timers.forEach((fn) => fn());
    await Promise.resolve();
    expect(t.calls).toEqual(["runNow:{}"]);
  });

  it("names the account in the last line when there are several", () => {
    const two: ScheduleState = {
      paused: false,
      accounts: [
        { accountId: 1, user: "a@x.org", everyMinutes: 30, nextAt: null, last: result({ at: 1 }), watch: null },
        { accountId: 2, user: "b@y.org", everyMinutes: null, nextAt: null, last: result({ accountId: 2, at: 2, text: "No new backscatter" }), watch: null },
      ],
    };
    expect(lastLine(two)).toBe("Last: b@y.org: No new backscatter");
    expect(lastLine(null)).toBe("No background scan yet");
  });
});

describe("launch at login", () => {
  it("on Linux: an XDG autostart entry that starts hidden, written and removed", () => {
    const item = launchAtLogin({
      platform: "linux",
      app: { getLoginItemSettings: () => ({ openAtLogin: false }), setLoginItemSettings: () => undefined },
      execPath: "/opt/Backscatter Sweeper/backscatter-sweeper",
      configHome: dir,
    });
    const file = autostartFile({ configHome: dir });
    expect(file).toBe(join(dir, "autostart", "backscatter-sweeper.desktop"));
    expect(item.get()).toBe(false);
    item.set(true);
    expect(item.get()).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(autostartEntry("/opt/Backscatter Sweeper/backscatter-sweeper"));
    expect(readFileSync(file, "utf8")).toContain('Exec="/opt/Backscatter Sweeper/backscatter-sweeper" --hidden');
    item.set(false);
    expect(existsSync(file)).toBe(false);
  });

  it("on macOS and Windows: Electron's login item, started hidden", () => {
    for (const platform of ["darwin", "win32"] as const) {
      let settings = { openAtLogin: false, args: [] as string[] };
      const item = launchAtLogin({
        platform,
        app: { getLoginItemSettings: () => settings, setLoginItemSettings: (s) => void (settings = { openAtLogin: s.openAtLogin, args: s.args ?? [] }) },
        execPath: "x",
      });
      item.set(true);
      expect(settings).toEqual({ openAtLogin: true, args: ["--hidden"] });
      expect(item.get()).toBe(true);
    }
  });
});

describe("main's own requests", () => {
  it("get their answers, the windows get theirs, and both get events", async () => {
    const windows: ServerMessage[] = [];
    const main: ServerMessage[] = [];
    const deps = {
      broadcast: (m: ServerMessage) => windows.push(m),
      toMain: (m: ServerMessage) => main.push(m),
      toEngine: () => undefined,
      secrets: memorySecrets(),
    };
    await handleEngineMessage({ type: "rpc", message: { id: 3, ok: true, value: 1 } }, deps);
    await handleEngineMessage({ type: "rpc", message: { id: MAIN_FIRST_ID + 1, ok: true, value: 2 } }, deps);
    await handleEngineMessage({ type: "rpc", message: { event: "background", payload: result() } }, deps);
    expect(windows).toEqual([
      { id: 3, ok: true, value: 1 },
      { event: "background", payload: result() },
    ]);
    expect(main).toEqual([
      { id: MAIN_FIRST_ID + 1, ok: true, value: 2 },
      { event: "background", payload: result() },
    ]);
  });
});
