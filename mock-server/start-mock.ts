/**
 * `startMock(options)`: the mock for a consumer's tests, in one call. It builds the HTTP mock (app.ts) with
 * the CLI's options, listens on 127.0.0.1 on a free port, and resolves to what a test needs: the URL and
 * key, a typed client bound to them, and the `MockControl` (control.ts). Its methods go through the admin
 * API over HTTP, so they behave as `curl` against `converseiq-mock` would.
 */
import { type ConverseIQClient, createClient } from "../client/index.ts";
import { buildMockServer } from "./app.ts";
import { journalOutProblem, writeJournalOut } from "./cli/journal-out.ts";
import { createControl, httpAdmin, type MockControl } from "./control.ts";
import { checkOptionsInput, type ExtraChecks, type MockOptionsInput, PUBLIC_PREFIX } from "./mock-options.ts";

export {
  MockAdminError,
  type MockClockControl,
  type MockClockState,
  type MockControl,
  type MockCoverage,
  type MockFixtures,
  type MockJournalEntry,
  type MockJournalFile,
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
export interface StartMockOptions extends MockOptionsInput {
  /**
   * Where `close()` writes the journal file (`journal()`, as `converseiq-mock --journal-out` writes it), to
   * replay against the real API with `converseiq-contract --replay FILE`. Default: none is written.
   */
  journalOut?: string;
}

/** `startMock`'s own option beside the shared ones, checked at run time. */
const START_OPTIONS: ExtraChecks = {
  journalOut: (value) => (typeof value === "string" ? undefined : "must be a file path (a string)"),
};

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
  /** Stops listening (the port is free once it resolves), writes the state file and the journal file (`journalOut`) if there are. */
  close(): Promise<void>;
  /** `close()`, for `await using mock = await startMock()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startMock(options: StartMockOptions = {}): Promise<RunningMock> {
  const { journalOut, ...mockOptions } = checkOptionsInput("startMock", options, START_OPTIONS);
  const journalProblem =
    journalOut === undefined ? undefined : journalOutProblem(journalOut, "startMock: option journalOut");
  if (journalProblem) throw new RangeError(journalProblem);
  const server = await buildMockServer(mockOptions);
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
    closing ??= (async () => {
      await server.close();
      if (journalOut !== undefined) writeJournalOut(server, journalOut);
    })();
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
