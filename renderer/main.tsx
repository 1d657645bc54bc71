import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { connect } from "./bridge.js";
import "./styles.css";

const root = createRoot(document.getElementById("app") as HTMLElement);
connect().then(
  (bridge) => root.render(<App bridge={bridge} />),
  (error: unknown) =>
    root.render(
      <p role="alert" className="fatal">
        {error instanceof Error ? error.message : String(error)}
      </p>,
    ),
);
