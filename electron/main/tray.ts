/**
 * The OS side of the desktop app, as a controller that needs no Electron: the tray menu (scan
 * now, pause or resume the schedule, open the window, what is watched and its last sweep, the last
 * result, launch at login, quit), a notification after each background scan that found something
 * or failed and when a flood starts or fades, and a scan after the computer wakes. index.ts hands in the real Tray, Menu and Notification; tests hand in fakes.
 */
import type { BackgroundResult, ScheduleState } from "../../shared/api.js";
import type { EngineClient, RpcEvent } from "../../shared/rpc.js";

export interface MenuItem {
  label: string;
  enabled?: boolean;
  type?: "normal" | "separator" | "checkbox";
  checked?: boolean;
  click?: () => void;
}

export interface TrayDeps {
  client: Pick<EngineClient, "scheduleStatus" | "schedulePause" | "scheduleRunNow">;
  /** Shows the menu (Menu.buildFromTemplate + tray.setContextMenu) and the tooltip. */
  setMenu(items: MenuItem[], tooltip: string): void;
  notify(title: string, body: string): void;
  showWindow(): void;
  quit(): void;
  launchAtLogin: { get(): boolean; set(enabled: boolean): void };
  /** How long to let the network come back after a wake before scanning. */
  resumeDelayMs?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
}

export interface TrayController {
  /** Re-reads the schedule and redraws the menu. */
  refresh(): Promise<void>;
  onEvent(event: RpcEvent): void;
  onResume(): void;
}

/** The tray's line for the newest background result across all accounts. */
export function lastLine(state: ScheduleState | null): string {
  const last = (state?.accounts ?? [])
    .map((a) => (a.last ? { ...a.last, user: a.user } : null))
    .filter((x): x is BackgroundResult & { user: string } => x !== null)
    .sort((a, b) => b.at - a.at)[0];
  if (!last) return "No background scan yet";
  return state && state.accounts.length > 1 ? `Last: ${last.user}: ${last.text}` : `Last: ${last.text}`;
}

/** The tray's line for watching: which accounts have new mail swept as it arrives, and the newest sweep; null when none is watched. */
export function watchLine(state: ScheduleState | null): string | null {
  const watched = (state?.accounts ?? []).filter((a) => a.watch && a.watch.mode !== "stopped");
  if (watched.length === 0) return null;
  const who = watched.length === 1 ? (watched[0]?.user ?? "") : `${watched.length} accounts`;
  const sweeps = watched.map((a) => a.watch?.lastSweep).filter((s): s is { at: number; text: string } => s != null);
  const newest = sweeps.sort((a, b) => b.at - a.at)[0];
  const clock = newest ? new Date(newest.at).toTimeString().slice(0, 5) : "";
  return `Watching ${who}${newest ? `; last sweep ${clock}: ${newest.text}` : ""}`;
}

export function createTray(deps: TrayDeps): TrayController {
  let state: ScheduleState | null = null;
  const act = (fn: () => Promise<unknown>): void =>
    void fn().then(
      () => controller.refresh(),
      () => controller.refresh(),
    );
  const draw = (): void => {
    const paused = state?.paused ?? false;
    deps.setMenu(
      [
        { label: "Scan now", click: () => act(() => deps.client.scheduleRunNow({})) },
        { label: paused ? "Resume scheduled scans" : "Pause scheduled scans", click: () => act(() => deps.client.schedulePause({ paused: !paused })) },
        { label: "Open Backscatter Sweeper", click: deps.showWindow },
        { type: "separator", label: "" },
        ...(watchLine(state) ? [{ label: watchLine(state) ?? "", enabled: false }] : []),
        { label: lastLine(state), enabled: false },
        { type: "separator", label: "" },
        {
          label: "Launch at login",
          type: "checkbox",
          checked: deps.launchAtLogin.get(),
          click: () => (deps.launchAtLogin.set(!deps.launchAtLogin.get()), draw()),
        },
        { label: "Quit", click: deps.quit },
      ],
      `Backscatter Sweeper${paused ? " (paused)" : ""} — ${watchLine(state) ?? lastLine(state)}`,
    );
  };
  const controller: TrayController = {
    async refresh() {
      try {
        state = await deps.client.scheduleStatus({});
      } finally {
        draw();
      }
    },
    onEvent(event) {
      if (event.event !== "background") return;
      const result = event.payload as BackgroundResult;
      const user = state?.accounts.find((a) => a.accountId === result.accountId)?.user;
      const named = (text: string): string => (user ? `${user}: ${text}` : text);
      // Quiet when there was nothing: a notification every half hour saying so would be noise. Sweeps of new
      // mail are quiet too (in a flood they come every few seconds): only a flood starting or fading is said.
      if (result.source === "watch") {
        if (result.error) deps.notify("Watching stopped", result.text);
        if (result.flood) deps.notify("Backscatter flood", named(result.flood));
      } else if (result.error !== null || result.text !== "No new backscatter")
        deps.notify(result.error ? "A scheduled scan failed" : "Backscatter Sweeper", user && !result.error ? named(result.text) : result.text);
      // Apart from the summary, so that it is never lost among the counts.
      if (result.alarm) deps.notify("Your account may be sending spam", user ? `${user}: ${result.alarm}` : result.alarm);
      void controller.refresh();
    },
    onResume() {
      (deps.setTimeout ?? setTimeout)(() => act(() => deps.client.scheduleRunNow({})), deps.resumeDelayMs ?? 30_000);
    },
  };
  return controller;
}
