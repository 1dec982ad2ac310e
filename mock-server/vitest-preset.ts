/**
 * The vitest preset (`converseiq-kit/vitest`): a global setup that starts one mock for the whole run and
 * hands its URL, key and origin to the tests through vitest's `provide`/`inject`; the mock closes when the
 * run ends.
 *
 * ```ts
 * // vitest.config.ts
 * export default defineConfig({ test: { globalSetup: ["converseiq-kit/vitest"] } });
 * // a test file
 * import type {} from "converseiq-kit/vitest"; // types inject()'s keys
 * const client = createClient({ baseUrl: inject("converseiqMockUrl"), apiKey: inject("converseiqApiKey") });
 * ```
 *
 * For other options (seed, sizes, keys, faults), a global setup file of the project's own:
 * `export default converseiqMockSetup({ seed: { contacts: 200 } })`.
 */
// The module augmented below, imported so that a program with no other vitest import (the package build) finds it.
import type {} from "vitest";
import { type StartMockOptions, startMock } from "./start-mock.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The mock's public API base URL, `http://127.0.0.1:PORT/public/v1`. */
    converseiqMockUrl: string;
    /** The API key the mock accepts. */
    converseiqApiKey: string;
    /** `http://127.0.0.1:PORT`: the admin API is at `/__admin` under it. */
    converseiqMockOrigin: string;
  }
}

/** What a global setup is given: vitest's `TestProject`, of which only `provide` is used. */
export interface ProvideContext {
  provide(key: "converseiqMockUrl" | "converseiqApiKey" | "converseiqMockOrigin", value: string): void;
}

/** A global setup that starts a mock with `options`; what it resolves to closes the mock (the teardown). */
export function converseiqMockSetup(
  options: StartMockOptions = {},
): (project: ProvideContext) => Promise<() => Promise<void>> {
  return async ({ provide }) => {
    const mock = await startMock(options);
    provide("converseiqMockUrl", mock.url);
    provide("converseiqApiKey", mock.apiKey);
    provide("converseiqMockOrigin", mock.origin);
    return () => mock.close();
  };
}

/** The preset itself: a mock with the CLI's defaults (seed 42, key `mock-api-key`). */
const setup: (project: ProvideContext) => Promise<() => Promise<void>> = converseiqMockSetup();
export default setup;
