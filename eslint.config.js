// Lint enforces the layers of DESIGN.md: a wrong import is an error here, not a review comment.
import js from "@eslint/js";
import { builtinModules } from "node:module";
import tseslint from "typescript-eslint";

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * One `no-restricted-imports` rule from several restrictions, each with its own message. Flat
 * config gives a file the rule of the last block that matches it, so a block names every
 * restriction its files are under.
 */
const forbid = (...restrictions) => ({
  "no-restricted-imports": [
    "error",
    {
      paths: restrictions.flatMap(({ message, names = [] }) => names.map((name) => ({ name, message }))),
      patterns: restrictions.flatMap(({ message, patterns = [], regex = [], allowTypeImports = false }) => [
        ...patterns.map((group) => ({ group: [group], message })),
        ...regex.map((r) => ({ regex: r, message, ...(allowTypeImports ? { allowTypeImports } : {}) })),
      ]),
    },
  ],
});

const NOT_IN_ENGINE = {
  message: "The engine is plain Node: no electron, no renderer (DESIGN.md, Layers).",
  names: ["electron", "react", "react-dom"],
  patterns: ["**/renderer/**", "**/main/**", "**/preload/**"],
};
const IMAPFLOW_IN_IMAP = {
  message: "imapflow is spoken in electron/engine/imap/ only: the rest of the engine sees the ImapPort (ports.ts).",
  names: ["imapflow"],
  regex: ["^imapflow/"],
};
const INTERNALS_IN_ONE_FILE = {
  message: "imapflow's internals are reached from imap/imapflowInternals.ts only (types aside).",
  regex: ["^imapflow/lib/"],
  allowTypeImports: true,
};
const HOSTS = "(?:^|/)(?:cli|serve|host)/";
const NO_HOST = { message: "The engine's core does not import its hosts (cli, serve, host): they import it.", regex: [HOSTS] };
const ENGINE_I_O =
  "(?:^|/)(?:db|imap|cli|serve|host|readAhead|dns|discovery|oauth|doctor|diagnosis|scan)/|(?:^|/)(?:context|operations|scanner|mover|sentIndexer|background|scheduler|profile|secrets|cleanup|activity|checkpoint|campaigns)\\.js$";
const PURE = {
  message: "bounce/, mime/ and classify.ts are pure: no I/O, no imapflow, no database, nothing that does (DESIGN.md, Layers).",
  names: [...nodeBuiltins.filter((m) => !/^(?:node:)?(?:util|buffer)$/.test(m)), "imapflow", "better-sqlite3", "ws", "mailauth", "tldts"],
  regex: [ENGINE_I_O],
};
const DB_ALONE = {
  message: "db/ stores rows: it imports no domain module, only shared/, the ports and its own files.",
  regex: ["^\\.\\./(?!ports\\.js$|(?:\\.\\./)+shared/)"],
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "release/**", "renderer/dist/**"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { parserOptions: { ecmaVersion: 2023, sourceType: "module" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "no-control-regex": "off",
      "max-lines": ["error", { max: 420, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ["shared/**/*.ts"],
    rules: forbid({
      message: "shared/ runs anywhere: no Node, DOM, Electron or npm packages with side effects (DESIGN.md, Layers).",
      names: [...nodeBuiltins, "electron", "react", "better-sqlite3", "imapflow", "mailparser", "ws"],
      patterns: ["**/electron/**", "**/renderer/**", "node:*"],
    }),
  },
  // The engine, from the outside in: the hosts, the core, imap/, db/, and the pure centre.
  { files: ["electron/engine/**/*.ts"], rules: forbid(NOT_IN_ENGINE, IMAPFLOW_IN_IMAP, NO_HOST) },
  { files: ["electron/engine/cli/**/*.ts", "electron/engine/serve/**/*.ts", "electron/engine/host/**/*.ts"], rules: forbid(NOT_IN_ENGINE, IMAPFLOW_IN_IMAP) },
  { files: ["electron/engine/imap/**/*.ts"], rules: forbid(NOT_IN_ENGINE, NO_HOST, INTERNALS_IN_ONE_FILE) },
  { files: ["electron/engine/imap/imapflowInternals.ts"], rules: forbid(NOT_IN_ENGINE, NO_HOST) },
  { files: ["electron/engine/db/**/*.ts"], rules: forbid(NOT_IN_ENGINE, IMAPFLOW_IN_IMAP, NO_HOST, DB_ALONE) },
  {
    files: ["electron/engine/bounce/**/*.ts", "electron/engine/mime/**/*.ts", "electron/engine/classify.ts"],
    rules: forbid(NOT_IN_ENGINE, IMAPFLOW_IN_IMAP, NO_HOST, PURE),
  },
  {
    files: ["electron/main/**/*.ts", "electron/preload/**/*.ts", "electron/preload/**/*.cts"],
    rules: forbid({
      message:
        "Electron's processes reach the engine through its host only (electron/engine/host/, and the secrets main keeps for it); never the renderer (DESIGN.md, Layers).",
      patterns: ["**/renderer/**"],
      regex: ["(?:^|/)engine/(?!host/|secrets\\.js$)"],
    }),
  },
  {
    files: ["renderer/**/*.ts", "renderer/**/*.tsx"],
    rules: forbid({
      message: "The renderer runs in the browser: no electron, no node:*, nothing from electron/ (DESIGN.md, Layers).",
      names: [...nodeBuiltins, "electron", "better-sqlite3", "imapflow", "mailparser"],
      patterns: ["**/electron/**", "node:*"],
    }),
  },
  {
    // A CommonJS shim loaded with `node --require` into third-party tools.
    files: ["scripts/**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", process: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Sandboxed preloads must be CommonJS; TypeScript spells that `import x = require()`.
    files: ["**/*.cts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["test/**/*.ts", "scripts/**/*.mjs", "bin/**/*.js", "*.config.*"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
