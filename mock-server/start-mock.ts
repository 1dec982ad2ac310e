/**
 * `startMock(options)`: the mock for a consumer's tests, in one call. It builds the HTTP mock (app.ts) with
 * the CLI's options, listens on 127.0.0.1 on a free port, and resolves to what a test needs: the URL and
 * key, a typed client bound to them, and the `MockControl` (control.ts). Its methods go through the admin
 * API over HTTP, so they behave as `curl` against `converseiq-mock` would.
 */
import { type ConverseIQClient, createClient } from "../client/index.ts";
import type { WebhookPayload } from "../lib/webhooks.ts";
import { buildMockServer } from "./app.ts";
import { createControl, httpAdmin, type MockControl, type MockSeedOptions } from "./control.ts";
import { type MockOptions, PUBLIC_PREFIX } from "./mock-options.ts";
import { DEFAULT_SEED } from "./store/seed.ts";

export {
  MockAdminError,
  type MockClockControl,
  type MockClockState,
  type MockControl,
  type MockCoverage,
  type MockFixtures,
  type MockJournalEntry,
  type MockSeedOptions,
  type MockSnapshot,
  type MockWorkspace,
  type MockWorkspaceOptions,
} from "./control.ts";

/** The CLI's options (`MockOptions`: keys, seed and sizes, faults, latency, webhooks, state file, ...). */
export interface StartMockOptions extends Omit<Partial<MockOptions>, "seed"> {
  /** The seed and sizes of the seeded data; each left out is the CLI's default (seed 42, 50 contacts, ...). */
  seed?: MockSeedOptions;
  /** Told each webhook event (`{event, id, ts, data}`) as the change is made, before its request is answered. */
  onEvent?: (event: WebhookPayload) => void;
  /** How many of the latest events `events()` keeps (default 1000; 0 keeps none). */
  eventCapacity?: number;
}

/**
 * The running mock: its URL, key and typed client, and the `MockControl` (control.ts) over its admin API:
 * `reset`, `snapshot`, `restore`, `journal`, `events`, `coverage`, `workspace` and `clock`.
 */
export interface RunningMock extends MockControl, AsyncDisposable {
  /** The public API's base URL, `http://127.0.0.1:PORT/public/v1`. */
  url: string;
  /** `http://127.0.0.1:PORT`; the admin API is at `/__admin` under it. */
  origin: string;
  /** The first accepted API key (`mock-api-key` unless `apiKeys` says otherwise). */
  apiKey: string;
  /** The typed client, bound to `url` and `apiKey`. */
  client: ConverseIQClient;
  /** Stops listening (the port is free once it resolves), writes the state file if there is one. */
  close(): Promise<void>;
  /** `close()`, for `await using mock = await startMock()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startMock(options: StartMockOptions = {}): Promise<RunningMock> {
  const { seed, ...mockOptions } = options;
  const server = await buildMockServer({ ...mockOptions, seed: { ...DEFAULT_SEED, ...seed } });
  let origin: string;
  try {
    origin = await server.listen({ port: 0, host: "127.0.0.1" });
  } catch (error) {
    await server.close();
    throw error;
  }
  const { apiKeys, adminToken } = server.mockOptions;
  const apiKey = apiKeys[0] as string;
  const url = `${origin}${PUBLIC_PREFIX}`;
  // Over HTTP, as `curl` against `converseiq-mock` would: the same admin API as any client's.
  const control = createControl(httpAdmin(origin, adminToken), (key) => createClient({ apiKey: key, baseUrl: url }));

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= server.close();
    return closing;
  };

  return {
    ...control,
    url,
    origin,
    apiKey,
    client: createClient({ apiKey, baseUrl: url }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
