// A consumer's vitest project in miniature, run by vitest-preset.test.ts: the preset as its global setup,
// two files that each take a workspace of their own and run at the same time.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Vite's cache out of the repository (it would land in node_modules/ beside this file).
  cacheDir: join(tmpdir(), "converseiq-vitest-project"),
  test: {
    include: ["*.case.ts"],
    globalSetup: ["../../vitest-preset.ts"],
    fileParallelism: true,
    pool: "threads",
  },
});
