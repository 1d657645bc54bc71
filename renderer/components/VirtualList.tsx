import { useState, type KeyboardEvent, type ReactNode } from "react";
import { visibleRange } from "../format.js";

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  height: number;
  label: string;
  active: number;
  onActive(index: number): void;
  onKey?(event: KeyboardEvent<HTMLDivElement>): void;
  render(item: T, index: number, active: boolean): ReactNode;
}

/**
 * A list that renders only the rows in view, so thousands stay smooth. Up/Down/Home/End move the
 * active row (announced through aria-activedescendant) and keep it in view.
 */
export function VirtualList<T>({ items, rowHeight, height, label, active, onActive, onKey, render }: Props<T>): React.JSX.Element {
  const [scrollTop, setScrollTop] = useState(0);
  const { first, last } = visibleRange(scrollTop, height, rowHeight, items.length);
  const move = (index: number, el: HTMLDivElement): void => {
    const i = Math.max(0, Math.min(items.length - 1, index));
    onActive(i);
    if (i * rowHeight < el.scrollTop) el.scrollTop = i * rowHeight;
    else if ((i + 1) * rowHeight > el.scrollTop + height) el.scrollTop = (i + 1) * rowHeight - height;
  };
  const keys = (e: KeyboardEvent<HTMLDivElement>): void => {
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    if (e.key in step) move(active + (step[e.key] ?? 0), e.currentTarget);
    else if (e.key === "Home") move(0, e.currentTarget);
    else if (e.key === "End") move(items.length - 1, e.currentTarget);
    else {
      onKey?.(e);
      return;
    }
    e.preventDefault();
  };
  return (
    <div
      className="vlist"
      role="listbox"
      aria-label={label}
      aria-activedescendant={items.length > 0 ? `row-${active}` : undefined}
      tabIndex={0}
      style={{ height }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={keys}
    >
      <div style={{ height: items.length * rowHeight, position: "relative" }}>
        {items.slice(first, last).map((item, k) => {
          const index = first + k;
          return (
            <div
              key={index}
              id={`row-${index}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? "row active" : "row"}
              style={{ position: "absolute", top: index * rowHeight, height: rowHeight, left: 0, right: 0 }}
              onClick={() => onActive(index)}
            >
              {render(item, index, index === active)}
            </div>
          );
        })}
      </div>
    </div>
  );
}
