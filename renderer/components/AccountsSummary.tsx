import { useEffect, useState } from "react";
import type { AccountStatus } from "../../shared/api.js";
import type { Account } from "../../shared/model.js";
import type { EngineClient } from "../../shared/rpc.js";

/** With several accounts: each one's backscatter, moves and messages to review, and the total. */
export function AccountsSummary({
  client,
  accounts,
  refreshKey,
}: {
  client: EngineClient;
  accounts: readonly Account[];
  refreshKey: unknown;
}): React.JSX.Element | null {
  const [rows, setRows] = useState<AccountStatus[]>([]);
  useEffect(() => {
    void Promise.all(accounts.map((a) => client.status({ accountId: a.id }))).then(setRows);
  }, [client, accounts, refreshKey]);
  if (accounts.length < 2) return null;
  const total = rows.reduce(
    (t, r) => ({ backscatter: t.backscatter + (r.counts.backscatter ?? 0), moved: t.moved + r.moved, toReview: t.toReview + r.toReview }),
    { backscatter: 0, moved: 0, toReview: 0 },
  );
  const n = (v: number): string => v.toLocaleString("en");
  return (
    <table className="accounts-summary">
      <caption>All accounts</caption>
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col">Backscatter found</th>
          <th scope="col">Moved</th>
          <th scope="col">To review</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.account.id}>
            <th scope="row">{r.account.user}</th>
            <td>{n(r.counts.backscatter ?? 0)}</td>
            <td>{n(r.moved)}</td>
            <td>{n(r.toReview)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td>{n(total.backscatter)}</td>
          <td>{n(total.moved)}</td>
          <td>{n(total.toReview)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
