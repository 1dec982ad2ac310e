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
 *
 * In a test file, `useConverseiqMock()` gives the `MockControl` (control.ts) of that shared mock, over its
 * admin API, with its URL, key and a typed client; `useConverseiqMock({ workspace: true })` gives the file a
 * workspace of its own, so files that run in parallel never see each other's data.
 */
import { beforeAll, inject } from "vitest";
import { type ConverseIQClient, createClient } from "../client/index.ts";
import { connectMock, type MockControl, type MockWorkspace, type MockWorkspaceOptions } from "./control.ts";
import { type StartMockOptions, startMock } from "./start-mock.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The mock's public API base URL, `http://127.0.0.1:PORT/public/v1`. */
    converseiqMockUrl: string;
    /** The API key the mock accepts. */
    converseiqApiKey: string;
    /** `http://127.0.0.1:PORT`: the admin API is at `/__admin` under it. */
    converseiqMockOrigin: string;
    /** The mock's admin token, or "" when it has none. */
    converseiqAdminToken: string;
  }
}

/** What a global setup is given: vitest's `TestProject`, of which only `provide` is used. */
export interface ProvideContext {
  provide(
    key: "converseiqMockUrl" | "converseiqApiKey" | "converseiqMockOrigin" | "converseiqAdminToken",
    value: string,
  ): void;
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
    provide("converseiqAdminToken", options.adminToken ?? "");
    return () => mock.close();
  };
}

/** The preset itself: a mock with the CLI's defaults (seed 42, key `mock-api-key`). */
const setup: (project: ProvideContext) => Promise<() => Promise<void>> = converseiqMockSetup();
export default setup;

export interface UseConverseiqMockOptions {
  /**
   * A workspace of the file's own (`true`, or the options of `MockControl.workspace`): made before the
   * file's tests (in `beforeAll`), its key and client are the file's, and `reset`, `snapshot`, `restore`
   * and `events` act on it alone. The clock, the journal and the coverage stay the mock's, shared by every
   * file.
   */
  workspace?: boolean | MockWorkspaceOptions;
}

/** The shared mock as a test file sees it: its `MockControl`, URL, key and a typed client. */
export interface ConverseiqMock extends MockControl {
  /** The public API's base URL, `http://127.0.0.1:PORT/public/v1`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** The key of the file's workspace (with `workspace`), else the mock's. */
  readonly apiKey: string;
  /** The typed client, bound to `url` and `apiKey`. */
  readonly client: ConverseIQClient;
}

/**
 * The shared mock's control for this test file, over its admin API (call it at the top of the file). The
 * preset (or `converseiqMockSetup`) must be the project's global setup: it provides the mock's URL.
 */
export function useConverseiqMock(options: UseConverseiqMockOptions = {}): ConverseiqMock {
  const url = inject("converseiqMockUrl");
  const origin = inject("converseiqMockOrigin");
  if (url === undefined || origin === undefined) {
    throw new Error(
      'useConverseiqMock: no mock was provided; add "converseiq-kit/vitest" (or a converseiqMockSetup file) to test.globalSetup',
    );
  }
  const adminToken = inject("converseiqAdminToken") || undefined;
  const control = connectMock(origin, adminToken === undefined ? {} : { adminToken });
  const shared = {
    apiKey: inject("converseiqApiKey"),
    client: createClient({ apiKey: inject("converseiqApiKey"), baseUrl: url }),
  };
  const given = options.workspace;
  if (!given) return { ...control, url, origin, ...shared };

  let workspace: MockWorkspace | undefined;
  beforeAll(async () => {
    workspace = await control.workspace(given === true ? {} : given);
  });
  const mine = (): MockWorkspace => {
    if (workspace === undefined) {
      throw new Error(
        "useConverseiqMock({ workspace }): the workspace is made in beforeAll; use it inside a test or a hook",
      );
    }
    return workspace;
  };
  return {
    ...control,
    url,
    origin,
    get apiKey() {
      return mine().apiKey;
    },
    get client() {
      return mine().client;
    },
    reset: (seed) => mine().reset(seed),
    snapshot: () => mine().snapshot(),
    restore: (snapshot) => mine().restore(snapshot),
    events: () => mine().events(),
  };
}
