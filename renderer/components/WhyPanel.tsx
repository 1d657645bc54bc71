import { useCallback, useEffect, useState } from "react";
import type { Campaign, DomainCheck } from "../../shared/doctor.js";
import type { EngineClient } from "../../shared/rpc.js";
import { plural } from "../format.js";
import { DayChart } from "./DayChart.js";

const TREND: Record<Campaign["trend"], string> = { rising: "still rising", steady: "steady", fading: "fading" };

/** One piece of advice: what to do, and the record to publish with a copy button. */
function AdviceItem({ fix, record }: { fix: string; record: string | null }): React.JSX.Element {
  const [copied, setCopied] = useState(false);
  return (
    <li>
      <p>{fix}</p>
      {record ? (
        <div className="record">
          <code>{record}</code>
          <button
            onClick={() =>
              void navigator.clipboard?.writeText(record).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? "Copied" : "Copy"}
          </button>
        </div>
      ) : null}
    </li>
  );
}

function DomainView({ check }: { check: DomainCheck }): React.JSX.Element {
  const problems = [...check.spf.problems, ...check.dkim.problems, ...check.dmarc.problems];
  return (
    <div className="domain">
      <h4>
        {check.domain}
        {check.provider ? ` (${check.provider})` : ""}:{" "}
        {check.provider
          ? "run by your provider"
          : check.parked
            ? "a parked domain, in order"
            : check.advice.length === 0
              ? "in order"
              : plural(check.advice.length, "thing") + " to change"}
      </h4>
      <dl className="records">
        <dt>SPF</dt>
        <dd>{check.spf.record ?? "none"}</dd>
        <dt>DMARC</dt>
        <dd>{check.dmarc.record ?? "none"}</dd>
        <dt>DKIM</dt>
        <dd>{check.dkim.selectors.length > 0 ? `signed with ${check.dkim.selectors.join(", ")}` : "no signature of your mail seen yet"}</dd>
      </dl>
      {problems.length > 0 ? (
        <ul className="problems">
          {problems.map((p) => (
            <li key={p}>{p.replace(/^[a-z-]+: /, "")}</li>
          ))}
        </ul>
      ) : null}
      {check.advice.length > 0 ? (
        <ol className="advice" aria-label={`What to change for ${check.domain}, in order`}>
          {check.advice.map((a) => (
            <AdviceItem key={a.problem} fix={a.fix} record={a.record} />
          ))}
        </ol>
      ) : null}
      {check.unchecked.length > 0 ? <p className="hint">Not checked: {check.unchecked.join("; ")}.</p> : null}
    </div>
  );
}

/** "Why is this happening?": the campaigns behind the flood, whether it fades, and the user's domain check with advice. */
export function WhyPanel({ client, accountId, refreshKey }: { client: EngineClient; accountId: number; refreshKey: unknown }): React.JSX.Element {
  const [campaigns, setCampaigns] = useState<{ campaigns: Campaign[]; line: string | null } | null>(null);
  const [checks, setChecks] = useState<DomainCheck[] | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState("");
  const check = useCallback(async () => {
    setChecking(true);
    try {
      setChecks(await client.doctor({ accountId }));
      setError("");
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setChecking(false);
    }
  }, [client, accountId]);
  useEffect(() => {
    void client.campaigns({ accountId }).then(setCampaigns);
  }, [client, accountId, refreshKey]);
  useEffect(() => {
    void check();
  }, [check]);
  return (
    <section className="why" aria-labelledby="why-title">
      <h3 id="why-title">Why is this happening?</h3>
      <p>Spammers put your address on their mail; the servers that cannot deliver it bounce it to you. {campaigns?.line ?? "No backscatter found yet."}</p>
      {campaigns && campaigns.campaigns.length > 0 ? (
        <ul className="campaigns" aria-label="Campaigns, largest first">
          {campaigns.campaigns.slice(0, 5).map((c) => (
            <li key={`${c.subject}|${c.first}`} className="campaign">
              <div className="head">
                <strong>“{c.subject}”</strong> <span className={`trend ${c.trend}`}>{TREND[c.trend]}</span>
                <span className="hint">
                  {" "}
                  {plural(c.count, "bounce")}, {c.first.slice(0, 16).replace("T", " ")} to {c.last.slice(0, 16).replace("T", " ")} UTC
                  {c.sources[0] ? `; sent from ${c.sources.map((s) => s.network).join(", ")}` : ""}
                  {c.reporters[0]
                    ? `; bounced most by ${c.reporters
                        .slice(0, 2)
                        .map((r) => r.host)
                        .join(", ")}`
                    : ""}
                </span>
              </div>
              <DayChart data={c.perDay} />
            </li>
          ))}
        </ul>
      ) : null}
      <h3>Your domain</h3>
      <p className="hint">
        A domain with SPF ending in -all, DKIM and DMARC at p=reject makes receiving servers refuse forged mail while the spammer is still connected, instead of
        accepting it and bouncing it to you later.
      </p>
      {checks?.map((c) => (
        <DomainView key={c.domain} check={c} />
      ))}
      {error ? <p className="error">{error}</p> : null}
      <button onClick={() => void check()} disabled={checking}>
        {checking ? "Checking…" : "Check again"}
      </button>
    </section>
  );
}
