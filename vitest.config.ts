import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", "scratch/**"],
    // Type tests (`*.test-d.ts`) run with `vitest --typecheck`, checked by tsc, never executed.
    typecheck: { include: ["**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 20_000,
    // Contract suites: a run id for what they create, and the contract summary at the end of the run.
    globalSetup: ["contract-tests/support/global-setup.ts"],
  },
});
