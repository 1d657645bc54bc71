import type { DayCount } from "../format.js";

/** Backscatter per day as bars; the table of numbers is there for screen readers. */
export function DayChart({ data }: { data: readonly DayCount[] }): React.JSX.Element {
  const max = Math.max(1, ...data.map((d) => d.count));
  const width = 1000;
  const height = 150;
  const bar = width / Math.max(1, data.length);
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height + 22}`}
        role="img"
        aria-label={`Backscatter per day, last ${data.length} days: ${data.reduce((a, d) => a + d.count, 0)} in all`}
      >
        {data.map((d, i) => {
          const h = Math.round((d.count / max) * height);
          return (
            <g key={d.day}>
              <rect x={i * bar + 2} y={height - h} width={Math.max(1, bar - 4)} height={h} className="bar">
                <title>{`${d.day}: ${d.count}`}</title>
              </rect>
              {i % Math.ceil(data.length / 7) === 0 ? (
                <text x={i === 0 ? 2 : i * bar + bar / 2} y={height + 18} textAnchor={i === 0 ? "start" : "middle"} className="axis">
                  {d.day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="visually-hidden">
        <table>
          <tbody>
            {data.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                <td>{d.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
