// Lint enforces the layers of DESIGN.md: a wrong import is an error here, not a review comment.
import js from "@eslint/js";
import { builtinModules } from "node:module";
import tseslint from "typescript-eslint";

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** `no-restricted-imports` with the given bare names and path patterns forbidden. */
const forbid = (message, { names = [], patterns = [] }) => ({
  "no-restricted-imports": ["error", { paths: names.map((name) => ({ name, message })), patterns: patterns.map((group) => ({ group: [group], message })) }],
});

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
    rules: forbid("shared/ runs anywhere: no Node, DOM, Electron or npm packages with side effects (DESIGN.md, Layers).", {
      names: [...nodeBuiltins, "electron", "react", "better-sqlite3", "imapflow", "mailparser"],
      patterns: ["**/electron/**", "**/renderer/**", "node:*"],
    }),
  },
  {
    files: ["electron/engine/**/*.ts"],
    rules: forbid("The engine is plain Node: no electron, no renderer (DESIGN.md, Layers).", {
      names: ["electron", "react", "react-dom"],
      patterns: ["**/renderer/**", "**/main/**", "**/preload/**"],
    }),
  },
  {
    files: ["electron/main/**/*.ts", "electron/preload/**/*.ts", "electron/preload/**/*.cts"],
    rules: forbid("Electron hosts must not import the renderer (DESIGN.md, Layers).", { patterns: ["**/renderer/**"] }),
  },
  {
    files: ["renderer/**/*.ts", "renderer/**/*.tsx"],
    rules: forbid("The renderer runs in the browser: no electron, no node:*, nothing from electron/ (DESIGN.md, Layers).", {
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
