// A consumer's vitest project in miniature, run by vitest-preset.test.ts: the preset as its global setup,
// two files that each take a workspace of their own and run at the same time.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["*.case.ts"],
    globalSetup: ["../../vitest-preset.ts"],
    fileParallelism: true,
    pool: "threads",
  },
});
