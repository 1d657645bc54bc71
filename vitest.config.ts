import { defineConfig } from "vitest/config";

export default defineConfig({
  esbuild: { jsx: "automatic" },
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ["default"],
    // No test asks the internet's DNS: those that need answers start their own server on loopback.
    env: { BSS_DNS: "off" },
  },
});
