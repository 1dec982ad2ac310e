/**
 * `npm run test:package` (the checks lane of `npm test`): the package as a consumer meets it, from a packed
 * tarball in a fresh project (package.check.ts). Apart from the suites' config because it packs and builds
 * the whole package once, and runs in a lane of its own.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["scripts/package/*.check.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
