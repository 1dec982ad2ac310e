import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { readSettings } from "./contract-tests/support/settings.ts";
import { TEST_SEED } from "./scripts/test-seed.ts";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", "scratch/**"],
    // Type tests (`*.test-d.ts`) run with `vitest --typecheck`, checked by tsc, never executed.
    typecheck: { include: ["**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 20_000,
    // Speed (issue 5: `npm test` under a minute on 2 cores). Vitest's default of one worker fewer than
    // the cores left one of two cores idle, and a fresh module graph per file spent a third of the run
    // importing Fastify, Ajv and faker again for each of 50 files. No test relies on a fresh module graph:
    // each file builds its own mock (no shared store), module-level state is caches only, and nothing
    // stubs globals or mocks modules. Threads start faster than forks.
    pool: "threads",
    maxWorkers: Math.max(availableParallelism(), 2),
    // One server shared by every file (a base URL: the live API, a running mock, Prism) is run
    // against one file at a time: the stateful suite and the page walks need the data to themselves.
    fileParallelism: readSettings().kind === "in-process",
    isolate: false,
    // Contract suites: a run id for what they create, and the contract summary at the end of the run.
    globalSetup: ["contract-tests/support/global-setup.ts"],
    // One seed for every property and fuzz run (scripts/test-seed.ts): a failure here is reproducible.
    setupFiles: ["scripts/test-seed-setup.ts"],
    env: { CONTRACT_FUZZ_SEED: String(TEST_SEED) },
  },
});
