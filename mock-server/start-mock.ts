/**
 * `startMock(options)`: the mock for a consumer's tests, in one call. It builds the HTTP mock (app.ts) with
 * the CLI's options, listens on 127.0.0.1 on a free port, and resolves to what a test needs: the URL and
 * key, a typed client bound to them, and the `MockControl` (control.ts). Its methods go through the admin
 * API over HTTP, so they behave as `curl` against `converseiq-mock` would.
 */
import { type ConverseIQClient, createClient } from "../client/index.ts";
import { buildMockServer } from "./app.ts";
import { createControl, httpAdmin, type MockControl } from "./control.ts";
import { checkOptionsInput, type MockOptionsInput, PUBLIC_PREFIX } from "./mock-options.ts";

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

/**
 * The CLI's options (mock-options.ts: keys, seed and sizes, faults, latency, webhooks, state file, ...), the
 * same as `createMockFetch` and `createHandlers` take: each optional, the seed partial (`{ contacts: 200 }`)
 * or the seed alone (`seed: 7`). From plain JavaScript they are checked at run time.
 */
export interface StartMockOptions extends MockOptionsInput {}

/**
 * The running mock: its URL, key and typed client, and the `MockControl` (control.ts) over its admin API:
 * `reset`, `snapshot`, `restore`, `journal`, `events`, `coverage`, `workspace`, `override`, `scenario` and
 * `clock`.
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
  const server = await buildMockServer(checkOptionsInput("startMock", options));
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
  // Function overrides are code: the server runs in this process, so they go to its engine directly.
  const control = createControl(
    httpAdmin(origin, adminToken),
    (key) => createClient({ apiKey: key, baseUrl: url }),
    server.engine,
  );

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
