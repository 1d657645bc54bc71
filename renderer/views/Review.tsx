import { useMemo, useState, type KeyboardEvent } from "react";
import type { Item, VerdictKind } from "../../shared/model.js";
import type { EngineClient } from "../../shared/rpc.js";
import { VirtualList } from "../components/VirtualList.js";
import { plural, VERDICT_LABEL } from "../format.js";

const FILTERS: (VerdictKind | "all")[] = ["all", "backscatter", "account-misuse", "unverifiable", "legit", "complaint"];
const STATE_LABEL: Record<Item["state"], string> = { flagged: "in inbox", moved: "moved", kept: "kept", restored: "put back" };

interface Props {
  client: EngineClient;
  accountId: number;
  items: readonly Item[];
  onChanged(message: string): void;
  /** What the list shows first (the alarm opens it on the reports it is about). */
  initialFilter?: VerdictKind | "all";
}

/** Flagged messages: filter, look at one, act on one, a selection, or all backscatter at once. */
export function Review({ client, accountId, items, onChanged, initialFilter = "all" }: Props): React.JSX.Element {
  const [filter, setFilter] = useState<VerdictKind | "all">(initialFilter);
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const shown = useMemo(() => items.filter((i) => filter === "all" || i.verdict === filter), [items, filter]);
  const current = shown[Math.min(active, shown.length - 1)];
  const toMove = items.filter((i) => i.verdict === "backscatter" && i.state === "flagged");
  const chosen = shown.filter((i) => selected.has(i.id));
  const target = chosen.length > 0 ? chosen : current ? [current] : [];
  // The proof that the account sends spam is never moved away, not even by hand.
  const movable = target.filter((i) => i.verdict !== "account-misuse");

  const run = async (what: () => Promise<string>): Promise<void> => {
    setBusy(true);
    try {
      onChanged(await what());
      setSelected(new Set());
    } catch (error) {
      onChanged(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (id: number): void => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const keys = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === " " && current) {
      toggle(current.id);
      e.preventDefault();
    }
  };
  const moveAll = (): Promise<void> => run(async () => `Moved ${plural((await client.move({ accountId })).moved, "message")} to the backscatter folder.`);
  const moveSome = (): Promise<void> =>
    run(async () => `Moved ${plural((await client.move({ accountId, itemIds: movable.map((i) => i.id) })).moved, "message")}.`);
  const undoSome = (): Promise<void> =>
    run(async () => `Put back ${plural((await client.undo({ accountId, itemIds: target.map((i) => i.id) })).restored, "message")}.`);
  const keepSome = (): Promise<void> =>
    run(async () => {
      for (const i of target) await client.keep({ itemId: i.id });
      return `Marked ${plural(target.length, "message")} as not backscatter.`;
    });

  return (
    <section className="review" aria-labelledby="review-title">
      <header className="toolbar">
        <h2 id="review-title">Review</h2>
        <label htmlFor="filter">Show</label>
        <select id="filter" value={filter} onChange={(e) => (setFilter(e.target.value as VerdictKind | "all"), setActive(0))}>
          {FILTERS.map((f) => (
            <option key={f} value={f}>
              {f === "all" ? "Everything flagged" : VERDICT_LABEL[f]}
            </option>
          ))}
        </select>
        <button className="primary" disabled={busy || toMove.length === 0} onClick={() => void moveAll()}>
          {toMove.length > 0 ? `Move ${plural(toMove.length, "backscatter message")}` : "No backscatter left to move"}
        </button>
      </header>
      <div className="split">
        <div>
          <VirtualList
            items={shown}
            rowHeight={56}
            height={420}
            label="Flagged messages"
            active={active}
            onActive={setActive}
            onKey={keys}
            render={(i) => (
              <div className="item">
                <input
                  type="checkbox"
                  aria-label={`Select message ${i.id}`}
                  checked={selected.has(i.id)}
                  onChange={() => toggle(i.id)}
                  onClick={(e) => e.stopPropagation()}
                  tabIndex={-1}
                />
                <span className={`badge ${i.verdict}`}>{VERDICT_LABEL[i.verdict]}</span>
                <span className="what">
                  <strong>{i.recipients[0] ?? "unknown recipient"}</strong> — {i.originalSubject ?? i.subject ?? "(no subject)"}
                  <small>{i.reason}</small>
                </span>
                <span className="state">{STATE_LABEL[i.state]}</span>
              </div>
            )}
          />
          <p className="hint">↑ ↓ to move through the list, Space to select.</p>
          <div className="actions" role="group" aria-label="Act on the selected messages">
            <button
              disabled={busy || movable.length === 0}
              title={movable.length < target.length ? "Reports of mail sent through your account stay in your inbox" : undefined}
              onClick={() => void moveSome()}
            >
              Move {chosen.length > 0 ? plural(chosen.length, "selected") : "this"}
            </button>
            <button disabled={busy || target.length === 0} onClick={() => void keepSome()}>
              Not backscatter
            </button>
            <button disabled={busy || !target.some((i) => i.state === "moved")} onClick={() => void undoSome()}>
              Put back
            </button>
          </div>
        </div>
        <Preview item={current} />
      </div>
    </section>
  );
}

/** The facts about one item, as text only: a bounce body is hostile, so none of it is rendered. */
function Preview({ item }: { item: Item | undefined }): React.JSX.Element {
  if (!item) return <aside className="preview">Nothing flagged here.</aside>;
  const rows: [string, string][] = [
    ["Verdict", `${VERDICT_LABEL[item.verdict]} (${item.confidence} confidence)`],
    ["Why", item.reason],
    ["Original recipient", item.recipients.join(", ") || "unknown"],
    ["Original subject", item.originalSubject ?? "unknown"],
    ["Reported by", item.reportingMta ?? item.from ?? "unknown"],
    ["Received", item.date ?? "unknown"],
    ["Refers to", item.originalMessageIds.map((id) => `<${id}>`).join(" ") || "nothing that could be found"],
    ["Where", item.state === "moved" ? `${item.destFolder ?? ""}` : item.folder],
  ];
  return (
    <aside className="preview" aria-label="Details of the selected message">
      <dl>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {item.evidence.length > 0 ? (
        <ul className="evidence">
          {item.evidence.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
    </aside>
  );
}
