import type { MisuseAlarm } from "../../shared/model.js";

/** The alarm on the Overview: mail went out through the account itself; what to do, in order. */
export function MisuseBanner({ alarm, onReview }: { alarm: MisuseAlarm; onReview(): void }): React.JSX.Element {
  return (
    <section className="alarm" role="alert" aria-labelledby="alarm-title">
      <h3 id="alarm-title">Your account may be sending spam</h3>
      <p>{alarm.text}</p>
      <p>
        This is not ordinary backscatter: these bounces answer mail that left through your own account or your provider&apos;s servers after signing in. What to
        do now:
      </p>
      <ol>
        {alarm.checklist.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      {alarm.links.length > 0 ? (
        <ul className="links">
          {alarm.links.map((l) => (
            <li key={l.url}>
              <a href={l.url} target="_blank" rel="noreferrer">
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      <button onClick={onReview}>See the {alarm.count === 1 ? "bounce" : `${alarm.count.toLocaleString("en")} bounces`}</button>
    </section>
  );
}
