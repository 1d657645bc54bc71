import { useState, type FormEvent } from "react";
import type { ConnectionTest, Discovery } from "../../shared/api.js";
import type { Account, Security } from "../../shared/model.js";
import type { EngineClient } from "../../shared/rpc.js";
import { PRESETS } from "../presets.js";
import { SignIn } from "./SignIn.js";

interface Props {
  client: EngineClient;
  secretsPath: string | null;
  onDone(account: Account): void;
  onCancel?(): void;
}

/**
 * Adding an account: a provider preset or manual settings, a connection test whose failure is
 * said in words (and, for a self-signed server, the fingerprint to trust), then the first scan.
 */
export function Onboarding({ client, secretsPath, onDone, onCancel }: Props): React.JSX.Element {
  const [presetId, setPresetId] = useState("gmail");
  const preset = PRESETS.find((p) => p.id === presetId) ?? PRESETS[0];
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [host, setHost] = useState("");
  const [port, setPort] = useState(993);
  const [security, setSecurity] = useState<Security>("tls");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ConnectionTest | null>(null);
  const [account, setAccount] = useState<Account | null>(null);
  const [issuer, setIssuer] = useState("");
  const [clientId, setClientId] = useState("");
  const [found, setFound] = useState<Discovery | null>(null);

  const choose = (id: string): void => {
    const p = PRESETS.find((x) => x.id === id);
    setPresetId(id);
    setFailure(null);
    if (p && p.id !== "other") {
      setHost(p.host);
      setPort(p.port);
      setSecurity(p.security);
    }
  };

  /** The settings for the address just typed: a preset, the domain's autoconfig, or its MX. */
  const lookUp = async (): Promise<void> => {
    if (!email.includes("@")) return;
    const d = await client.discover({ email: email.trim() }).catch(() => null);
    setFound(d);
    if (!d) return;
    if (d.providerId && PRESETS.some((p) => p.id === d.providerId)) {
      choose(d.providerId);
      return;
    }
    setPresetId("other");
    setHost(d.host);
    setPort(d.port);
    setSecurity(d.security);
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const settings = { host: presetId === "other" ? host.trim() : (preset?.host ?? host), port, security, user: email.trim() };
      const saved = account
        ? await client.accountUpdate({ accountId: account.id, changes: settings, secret: password })
        : await client.accountAdd({ account: settings, secret: password });
      setAccount(saved);
      const test = await client.accountTest({ accountId: saved.id });
      if (test.ok) onDone(saved);
      else setFailure(test);
    } catch (error) {
      setFailure({ ok: false, message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  const trust = async (): Promise<void> => {
    if (!account || !failure?.fingerprint) return;
    setBusy(true);
    await client.accountUpdate({ accountId: account.id, changes: { pinnedFingerprint: failure.fingerprint } });
    const test = await client.accountTest({ accountId: account.id });
    setBusy(false);
    if (test.ok) onDone(account);
    else setFailure(test);
  };

  return (
    <section className="onboarding" aria-labelledby="onb-title">
      <h2 id="onb-title">Connect your mailbox</h2>
      <p>
        Backscatter Sweeper reads your mail over IMAP. It never deletes anything: it only moves replies to mail you never sent into a folder called
        “Backscatter”, and the first scan moves nothing at all.
      </p>
      <form onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="f-email-address">Email address</label>
          <input
            id="f-email-address"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            onBlur={() => void lookUp()}
          />
        </div>
        {found ? (
          <p className={found.confirm ? "notice" : "note"} role="note">
            Found: {found.host}:{found.port} ({found.security === "tls" ? "TLS" : found.security === "starttls" ? "STARTTLS" : "no encryption"}). {found.note}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="f-provider">Provider</label>
          <select id="f-provider" value={presetId} onChange={(e) => choose(e.target.value)}>
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        {preset?.oauth ? (
          <SignIn client={client} provider={preset.oauth} label={preset.oauth === "google" ? "Google" : "Microsoft"} email={email} onDone={onDone} />
        ) : null}
        {preset && !preset.password ? (
          <p className="notice" role="note">
            {preset.note}
          </p>
        ) : (
          <>
            <div className="field">
              <label htmlFor="f-password">Password</label>
              <input
                id="f-password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                aria-describedby="pw-note"
              />
            </div>
            <p id="pw-note" className="note">
              {preset?.note}
            </p>
            {presetId === "other" ? (
              <fieldset>
                <legend>Server</legend>
                <div className="field">
                  <label htmlFor="f-imap-server">IMAP server</label>
                  <input id="f-imap-server" required value={host} onChange={(e) => setHost(e.target.value)} placeholder="imap.example.org" />
                </div>
                <div className="field">
                  <label htmlFor="f-port">Port</label>
                  <input id="f-port" type="number" min={1} max={65535} required value={port} onChange={(e) => setPort(Number(e.target.value))} />
                </div>
                <div className="field">
                  <label htmlFor="f-security">Security</label>
                  <select id="f-security" value={security} onChange={(e) => setSecurity(e.target.value as Security)}>
                    <option value="tls">TLS (usually port 993)</option>
                    <option value="starttls">STARTTLS (usually port 143)</option>
                    <option value="plain">None: only for a server on this computer</option>
                  </select>
                </div>
              </fieldset>
            ) : null}
            {presetId === "other" ? (
              <fieldset>
                <legend>Or sign in with your provider (OAuth2 / OpenID)</legend>
                <div className="field">
                  <label htmlFor="f-issuer">Issuer URL</label>
                  <input id="f-issuer" value={issuer} onChange={(e) => setIssuer(e.target.value)} placeholder="https://login.example.org" />
                </div>
                <div className="field">
                  <label htmlFor="f-client-id">Client ID</label>
                  <input id="f-client-id" value={clientId} onChange={(e) => setClientId(e.target.value)} aria-describedby="client-note" />
                  <span id="client-note" className="hint">
                    The one your provider registered for Backscatter Sweeper.
                  </span>
                </div>
                <SignIn
                  client={client}
                  provider={issuer.trim()}
                  label="this provider"
                  primary={false}
                  email={email}
                  clientId={clientId.trim()}
                  imap={{ host: host.trim(), port, security }}
                  onDone={onDone}
                />
              </fieldset>
            ) : null}
            {secretsPath ? <p className="note">Your password is kept in {secretsPath}, readable only by you.</p> : null}
            <div className="actions">
              <button className="primary" type="submit" disabled={busy}>
                {busy ? "Connecting…" : "Connect"}
              </button>
              {onCancel ? (
                <button type="button" onClick={onCancel}>
                  Cancel
                </button>
              ) : null}
            </div>
          </>
        )}
      </form>
      {failure ? (
        <div className="error" role="alert">
          <p>{failure.message}</p>
          {failure.fingerprint ? (
            <p>
              Fingerprint: <code>{failure.fingerprint}</code>{" "}
              <button onClick={() => void trust()} disabled={busy}>
                It matches my server: trust it
              </button>
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
