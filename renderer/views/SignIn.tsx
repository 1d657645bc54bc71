import { useState } from "react";
import type { Account, Security } from "../../shared/model.js";
import type { EngineClient } from "../../shared/rpc.js";
import { Failure } from "../components/Failure.js";

interface Props {
  client: EngineClient;
  /** "google", "microsoft" or an issuer URL. */
  provider: string;
  label: string;
  email: string;
  clientId?: string;
  imap?: { host: string; port: number; security: Security };
  /** The main action of its form (a provider's own sign-in), or one choice among others. */
  primary?: boolean;
  onDone(account: Account): void;
}

/**
 * Signing in with the provider in the user's own browser: the engine opens a loopback port for
 * the answer, this opens the provider's page in a new tab and waits for the answer to arrive.
 */
export function SignIn({ client, provider, label, email, clientId, imap, primary = true, onDone }: Props): React.JSX.Element {
  const [waiting, setWaiting] = useState(false);
  const [failure, setFailure] = useState("");
  const go = async (): Promise<void> => {
    setFailure("");
    if (!email.includes("@")) {
      setFailure("Enter your email address first.");
      return;
    }
    setWaiting(true);
    try {
      const { signInId, url } = await client.signInStart({ provider, email: email.trim(), ...(clientId ? { clientId } : {}), ...(imap ? { imap } : {}) });
      window.open(url, "_blank", "noopener,noreferrer");
      onDone(await client.signInFinish({ signInId }));
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setWaiting(false);
    }
  };
  return (
    <div className="signin">
      <button type="button" className={primary ? "primary" : undefined} disabled={waiting} onClick={() => void go()}>
        {waiting ? "Waiting for you to sign in in the new tab…" : `Sign in with ${label}`}
      </button>
      <Failure text={failure} />
    </div>
  );
}
