/**
 * `startMock(options)`: the mock for a consumer's tests, in one call. It builds the HTTP mock (app.ts) with
 * the CLI's options, listens on 127.0.0.1 on a free port, and resolves to what a test needs: the URL and
 * key, a typed client bound to them, and the admin API as methods (reset, snapshot and restore, journal).
 * Those go through the admin API over HTTP, so they behave as `curl` against `converseiq-mock` would.
 * Only the webhook events are read in process, as the fetch adapter keeps them (engine/events.ts).
 */
import createFetchClient from "openapi-fetch";
import { type ConverseIQClient, createClient } from "../client/index.ts";
import type { paths as adminPaths, components } from "../generated/admin-types.ts";
import type { WebhookPayload } from "../lib/webhooks.ts";
import { ADMIN_TOKEN_HEADER } from "./admin/token.ts";
import { buildMockServer } from "./app.ts";
import { journalOutProblem, writeJournalOut } from "./cli/journal-out.ts";
import { createEventLog } from "./engine/events.ts";
import { type MockOptions, PUBLIC_PREFIX } from "./mock-options.ts";
import { DEFAULT_SEED } from "./store/seed.ts";

type AdminSchemas = components["schemas"];
/** The ids a client needs that the public API cannot list (`GET /__admin/fixtures`). */
export type MockFixtures = AdminSchemas["Fixtures"];
/** The seed and sizes a reset takes; each left out is the one the mock started with. */
export type MockSeedOptions = AdminSchemas["SeedOptions"];
/** The whole state (`GET /__admin/state`), as `restore` takes it back. */
export type MockSnapshot = AdminSchemas["State"];
/** One request the mock answered (`GET /__admin/requests`). */
export type MockJournalEntry = AdminSchemas["JournalEntry"];
/** The public API requests answered, with their bodies, as `converseiq-contract --replay` takes them (`GET /__admin/journal`). */
export type MockJournal = AdminSchemas["JournalFile"];
/** What a new workspace is given: its API key (a random one when left out), its seed and sizes. */
export type MockWorkspaceOptions = AdminSchemas["WorkspaceCreate"];
/** Per operation, the documented statuses the mock answered and those it never did (`GET /__admin/coverage`). */
export type MockCoverage = AdminSchemas["Coverage"];

/** The CLI's options (`MockOptions`: keys, seed and sizes, faults, latency, webhooks, state file, ...). */
export interface StartMockOptions extends Omit<Partial<MockOptions>, "seed"> {
  /** The seed and sizes of the seeded data; each left out is the CLI's default (seed 42, 50 contacts, ...). */
  seed?: MockSeedOptions;
  /** Told each webhook event (`{event, id, ts, data}`) as the change is made, before its request is answered. */
  onEvent?: (event: WebhookPayload) => void;
  /** How many of the latest events `events()` keeps (default 1000; 0 keeps none). */
  eventCapacity?: number;
  /**
   * Where `close()` writes the journal file (`journal()`, as `converseiq-mock --journal-out` writes it), to
   * replay against the real API with `converseiq-contract --replay FILE`. Default: none is written.
   */
  journalOut?: string;
}

/** A workspace of its own on the running mock: its key sees its data and nothing else. */
export interface MockWorkspace {
  apiKey: string;
  /** The workspace, as `GET /workspace` answers it with this key. */
  workspace: AdminSchemas["Workspace"];
  /** The typed client, bound to the mock's `url` and this workspace's key. */
  client: ConverseIQClient;
  /** This workspace back to its seeded data (the seed and sizes it was made with, or those given); no other. */
  reset(options?: MockSeedOptions): Promise<MockFixtures>;
  /** This workspace's whole state. */
  snapshot(): Promise<MockSnapshot>;
  /** Replaces this workspace's whole state with one taken by `snapshot()`. */
  restore(snapshot: MockSnapshot): Promise<MockFixtures>;
}

export interface RunningMock extends AsyncDisposable {
  /** The public API's base URL, `http://127.0.0.1:PORT/public/v1`. */
  url: string;
  /** `http://127.0.0.1:PORT`; the admin API is at `/__admin` under it. */
  origin: string;
  /** The first accepted API key (`mock-api-key` unless `apiKeys` says otherwise). */
  apiKey: string;
  /** The typed client, bound to `url` and `apiKey`. */
  client: ConverseIQClient;
  /**
   * Back to freshly seeded data (`POST /__admin/reset`: the seed and sizes the mock started with, or those
   * given), and the journal and the events emptied: as just after the start. Resolves to the new fixtures.
   */
  reset(options?: MockSeedOptions): Promise<MockFixtures>;
  /** The whole state (`GET /__admin/state`). */
  snapshot(): Promise<MockSnapshot>;
  /** Replaces the whole state with one taken by `snapshot()` (`PUT /__admin/state`); an invalid one throws. */
  restore(snapshot: MockSnapshot): Promise<MockFixtures>;
  /**
   * The public API requests the mock answered, oldest first, with the bodies sent and answered
   * (`GET /__admin/journal`; the latest 1000 by default): a file to save and replay against the real API
   * (`converseiq-contract --replay FILE`). It holds no API key.
   */
  journal(): Promise<MockJournal>;
  /**
   * Per operation of the public API, each documented status the mock answered (with a count) and those it
   * never did (`GET /__admin/coverage`): since the start, over every key; `reset()` leaves it.
   */
  coverage(): Promise<MockCoverage>;
  /**
   * A fresh workspace, seeded as the mock was started (or with `options.seed`), with an API key of its own
   * (`POST /__admin/workspaces`): test files that run in parallel each take one and share the server
   * without seeing each other's writes. It lasts as long as the mock; `reset()` leaves it.
   */
  workspace(options?: MockWorkspaceOptions): Promise<MockWorkspace>;
  /** The webhook events of the default workspace's changes, oldest first (the latest 1000 by default). */
  events(): WebhookPayload[];
  /** Stops listening (the port is free once it resolves), writes the state file and the journal file (`journalOut`) if there are. */
  close(): Promise<void>;
  /** `close()`, for `await using mock = await startMock()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Raised when the admin API refuses a call (a bad seed size, an invalid snapshot, a wrong admin token). */
export class MockAdminError extends Error {
  override name = "MockAdminError";
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    // The mock's error body: `{ code, message, details? }`.
    const message = (body as { message?: unknown } | undefined)?.message;
    super(`${operation}: the mock answered ${status}${typeof message === "string" ? `: ${message}` : ""}`);
  }
}

export async function startMock(options: StartMockOptions = {}): Promise<RunningMock> {
  const { onEvent, eventCapacity, seed, journalOut, ...mockOptions } = options;
  const journalProblem = journalOut === undefined ? undefined : journalOutProblem(journalOut);
  if (journalProblem) throw new RangeError(journalProblem);
  const server = await buildMockServer({ ...mockOptions, seed: { ...DEFAULT_SEED, ...seed } });
  let origin: string;
  try {
    origin = await server.listen({ port: 0, host: "127.0.0.1" });
  } catch (error) {
    await server.close();
    throw error;
  }
  const { apiKeys, adminToken, now } = server.mockOptions;
  const apiKey = apiKeys[0] as string;
  const url = `${origin}${PUBLIC_PREFIX}`;
  const admin = createFetchClient<adminPaths>({
    baseUrl: origin,
    // JSON even with no body: the mock refuses an admin write that a web page could have sent (any other type).
    headers: {
      "content-type": "application/json",
      ...(adminToken === undefined ? {} : { [ADMIN_TOKEN_HEADER]: adminToken }),
    },
  });
  // On the store itself, which stays the same object through a reset or a restore.
  const events = createEventLog(server.store, {
    ...(now ? { now } : {}),
    ...(onEvent ? { onEvent } : {}),
    ...(eventCapacity !== undefined ? { capacity: eventCapacity } : {}),
  });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      events.close();
      await server.close();
      if (journalOut !== undefined) writeJournalOut(server, journalOut);
    })();
    return closing;
  };

  return {
    url,
    origin,
    apiKey,
    client: createClient({ apiKey, baseUrl: url }),
    reset: async (seed = {}) => {
      const fixtures = answer("reset", await admin.POST("/__admin/reset", { body: seed }));
      answer("reset", await admin.DELETE("/__admin/requests"));
      events.clear();
      return fixtures;
    },
    snapshot: async () => answer("snapshot", await admin.GET("/__admin/state")),
    restore: async (snapshot) => answer("restore", await admin.PUT("/__admin/state", { body: snapshot })),
    journal: async () => answer("journal", await admin.GET("/__admin/journal")),
    coverage: async () => answer("coverage", await admin.GET("/__admin/coverage")),
    workspace: async (workspaceOptions = {}) => {
      const made = answer("workspace", await admin.POST("/__admin/workspaces", { body: workspaceOptions }));
      const params = { header: { "x-api-key": made.apiKey } };
      return {
        apiKey: made.apiKey,
        workspace: made.workspace,
        client: createClient({ apiKey: made.apiKey, baseUrl: url }),
        reset: async (seed = {}) => answer("reset", await admin.POST("/__admin/reset", { params, body: seed })),
        snapshot: async () => answer("snapshot", await admin.GET("/__admin/state", { params })),
        restore: async (snapshot) => answer("restore", await admin.PUT("/__admin/state", { params, body: snapshot })),
      };
    },
    events: () => events.list(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The data of an admin answer, or a `MockAdminError` that says what the mock refused. */
function answer<T>(operation: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok) throw new MockAdminError(operation, result.response.status, result.error);
  return result.data as T;
}
