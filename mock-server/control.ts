/**
 * `MockControl`: one way for a test to command the mock, the same on every transport. `startMock`,
 * `createMockFetch` and `createHandlers` each return one among their members, and `connectMock(url)` makes
 * one for a mock in another process (the `converseiq-mock` command, the vitest preset's shared mock).
 *
 * Every operation is a call of the admin API (admin/admin-openapi.yaml), so the semantics are the admin
 * API's everywhere: in process the call is answered by the engine directly (`engineAdmin`, no socket), over
 * HTTP by `fetch` (`httpAdmin`). What differs is only how the request travels.
 *
 * No Node API: the in-process transports run in a browser too.
 */
import { type ConverseIQClient, createClient } from "../client/index.ts";
import type { components } from "../generated/admin-types.ts";
import type { WebhookPayload } from "../lib/webhooks.ts";
import { ADMIN_TOKEN_HEADER } from "./admin/token.ts";
import { MockAdminError } from "./admin-error.ts";
import type { Engine } from "./engine/index.ts";
import type { HandleRequest } from "./engine/types.ts";
import { PUBLIC_PREFIX } from "./mock-options.ts";
import { createOverrideControl, type OverrideControl } from "./override-control.ts";

export { MockAdminError } from "./admin-error.ts";

type AdminSchemas = components["schemas"];
/** The ids a client needs that the public API cannot list (`GET /__admin/fixtures`). */
export type MockFixtures = AdminSchemas["Fixtures"];
/** The seed and sizes a reset takes; each left out is the one the mock started with. */
export type MockSeedOptions = AdminSchemas["SeedOptions"];
/** The whole state (`GET /__admin/state`), as `restore` takes it back. */
export type MockSnapshot = AdminSchemas["State"];
/** One request the mock answered (`GET /__admin/requests`). */
export type MockJournalEntry = AdminSchemas["JournalEntry"];
/**
 * The public API requests answered so far, with their bodies, as a file `converseiq-contract --replay`
 * takes (`GET /__admin/journal`): `JSON.stringify` it to save it. It holds no API key.
 */
export type MockJournalFile = AdminSchemas["JournalFile"];
/** What a new workspace is given: its API key (a random one when left out), its seed and sizes. */
export type MockWorkspaceOptions = AdminSchemas["WorkspaceCreate"];
/** Per operation, the documented statuses the mock answered and those it never did (`GET /__admin/coverage`). */
export type MockCoverage = AdminSchemas["Coverage"];
/** Where the mock's clock stands (`GET /__admin/clock`): its time, and whether it stands still. */
export type MockClockState = AdminSchemas["ClockState"];

/**
 * The mock's clock (`/__admin/clock`): the time of new records and events, the rate limit's windows and
 * `Retry-After`, latency, `Prefer: delay`, and webhook deliveries and their retries. With replicas
 * (`--redis`), each has a clock of its own: this moves the one it reaches.
 */
export interface MockClockControl {
  /** Where the clock stands. */
  now(): Promise<MockClockState>;
  /** Jumps to `date` and freezes the clock there: time stands still until `advance`. */
  set(date: Date | string | number): Promise<MockClockState>;
  /** Moves time on by `ms`; resolves once every wait that fell due on the way (a webhook's retries) has run. */
  advance(ms: number): Promise<MockClockState>;
  /** Back to real time. */
  real(): Promise<MockClockState>;
}

/**
 * What a test does to the mock, on every transport alike: its data, journal, events, coverage, workspaces,
 * clock, and (OverrideControl) what an operation answers for a while and which scenario is on.
 */
export interface MockControl extends OverrideControl {
  /**
   * Back to freshly seeded data (the seed and sizes the mock started with, or those given), with the
   * journal and the events emptied: as just after the start. Resolves to the new fixtures. Leaves the
   * clock, the coverage and the workspaces as they are.
   */
  reset(options?: MockSeedOptions): Promise<MockFixtures>;
  /** The whole state. */
  snapshot(): Promise<MockSnapshot>;
  /** Replaces the whole state with one taken by `snapshot()`; an invalid one throws `MockAdminError`. */
  restore(snapshot: MockSnapshot): Promise<MockFixtures>;
  /**
   * The public API requests the mock answered, oldest first (the latest 1000 by default), with their
   * bodies: save it (`JSON.stringify`) and `converseiq-contract --replay FILE` holds another server to it.
   */
  journal(): Promise<MockJournalFile>;
  /** The webhook events of the changes, oldest first (the latest 1000 by default), as a receiver would get them. */
  events(): Promise<WebhookPayload[]>;
  /** Per operation of the public API, each documented status the mock answered and those it never did. */
  coverage(): Promise<MockCoverage>;
  /**
   * A fresh workspace, seeded as the mock was (or with `options.seed`), with an API key of its own: test
   * files that run in parallel each take one and share the mock without seeing each other's data.
   */
  workspace(options?: MockWorkspaceOptions): Promise<MockWorkspace>;
  /** The mock's clock. */
  readonly clock: MockClockControl;
}

/** A workspace of its own on the mock: its key sees its data and nothing else. */
export interface MockWorkspace {
  apiKey: string;
  /** The workspace, as `GET /workspace` answers it with this key. */
  workspace: AdminSchemas["Workspace"];
  /** The typed client, bound to the mock and this workspace's key. */
  client: ConverseIQClient;
  /** This workspace back to its seeded data, its events emptied; no other workspace changes. */
  reset(options?: MockSeedOptions): Promise<MockFixtures>;
  /** This workspace's whole state. */
  snapshot(): Promise<MockSnapshot>;
  /** Replaces this workspace's whole state with one taken by `snapshot()`. */
  restore(snapshot: MockSnapshot): Promise<MockFixtures>;
  /** The webhook events of this workspace's changes, oldest first. */
  events(): Promise<WebhookPayload[]>;
}

/** One admin request: method, path under the origin, JSON body, and the workspace's key when it names one. */
export interface AdminRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: `/__admin/${string}`;
  body?: unknown;
  apiKey?: string;
}

/** Sends an admin request; resolves to its status and parsed JSON body (undefined when it has none). */
export type AdminCall = (request: AdminRequest) => Promise<{ status: number; body: unknown }>;

/** The headers of an admin request: JSON even with no body (the mock refuses any other type of write). */
function adminHeaders(request: AdminRequest, adminToken: string | undefined): Record<string, string> {
  return {
    ...(request.method === "GET" ? {} : { "content-type": "application/json" }),
    ...(adminToken === undefined ? {} : { [ADMIN_TOKEN_HEADER]: adminToken }),
    ...(request.apiKey === undefined ? {} : { "x-api-key": request.apiKey }),
  };
}

/** Admin calls answered by an engine in process (the fetch adapter's, the MSW handlers'). */
export function engineAdmin(handle: HandleRequest, adminToken?: string): AdminCall {
  return async (request) => {
    const response = await handle({
      method: request.method,
      url: request.path,
      headers: adminHeaders(request, adminToken),
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    const text = typeof response.body === "string" ? response.body : new TextDecoder().decode(response.body);
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
  };
}

/** Admin calls over HTTP to the mock at `origin` (`http://127.0.0.1:4010`). */
export function httpAdmin(
  origin: string,
  adminToken?: string,
  fetch: typeof globalThis.fetch = globalThis.fetch,
): AdminCall {
  return async (request) => {
    const response = await fetch(`${origin}${request.path}`, {
      method: request.method,
      headers: adminHeaders(request, adminToken),
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
  };
}

/**
 * The control over `call`; `clientFor(apiKey)` makes a workspace's typed client. Each method names itself
 * in the `MockAdminError` of a refusal.
 */
export function createControl(
  call: AdminCall,
  clientFor: (apiKey: string) => ConverseIQClient,
  engine?: Pick<Engine, "overrides">,
): MockControl {
  const ask = async <T>(operation: string, request: AdminRequest): Promise<T> => {
    const { status, body } = await call(request);
    if (status < 200 || status > 299) throw new MockAdminError(operation, status, body);
    return body as T;
  };
  const moveClock = (operation: string, body: AdminSchemas["ClockChange"]) =>
    ask<MockClockState>(operation, { method: "POST", path: "/__admin/clock", body });
  const state = (apiKey?: string) => ({
    reset: async (seed: MockSeedOptions = {}) => {
      const scope = apiKey === undefined ? {} : { apiKey };
      const fixtures = await ask<MockFixtures>("reset", {
        method: "POST",
        path: "/__admin/reset",
        body: seed,
        ...scope,
      });
      await ask("reset", { method: "DELETE", path: "/__admin/events", ...scope });
      if (apiKey === undefined) await ask("reset", { method: "DELETE", path: "/__admin/requests" });
      return fixtures;
    },
    snapshot: () =>
      ask<MockSnapshot>("snapshot", {
        method: "GET",
        path: "/__admin/state",
        ...(apiKey === undefined ? {} : { apiKey }),
      }),
    restore: (snapshot: MockSnapshot) =>
      ask<MockFixtures>("restore", {
        method: "PUT",
        path: "/__admin/state",
        body: snapshot,
        ...(apiKey === undefined ? {} : { apiKey }),
      }),
    events: async () =>
      (
        await ask<AdminSchemas["EventList"]>("events", {
          method: "GET",
          path: "/__admin/events",
          ...(apiKey === undefined ? {} : { apiKey }),
        })
      ).data as unknown as WebhookPayload[],
  });
  return {
    ...state(),
    ...createOverrideControl(ask, engine),
    journal: () => ask<MockJournalFile>("journal", { method: "GET", path: "/__admin/journal" }),
    coverage: () => ask<MockCoverage>("coverage", { method: "GET", path: "/__admin/coverage" }),
    workspace: async (options = {}) => {
      const made = await ask<AdminSchemas["WorkspaceCreated"]>("workspace", {
        method: "POST",
        path: "/__admin/workspaces",
        body: options,
      });
      return { apiKey: made.apiKey, workspace: made.workspace, client: clientFor(made.apiKey), ...state(made.apiKey) };
    },
    clock: {
      now: () => ask<MockClockState>("clock.now", { method: "GET", path: "/__admin/clock" }),
      set: (date) => moveClock("clock.set", { set: toIso("clock.set", date) }),
      advance: (ms) => moveClock("clock.advance", { advance: ms }),
      real: () => moveClock("clock.real", { real: true }),
    },
  };
}

function toIso(operation: string, date: Date | string | number): string {
  const time = date instanceof Date ? date.getTime() : typeof date === "number" ? date : Date.parse(date);
  if (!Number.isFinite(time)) throw new RangeError(`${operation}: not a date: ${String(date)}`);
  return new Date(time).toISOString();
}

export interface ConnectMockOptions {
  /** The mock's admin token (`--admin-token`), when it has one. */
  adminToken?: string;
  /** The fetch to reach it with; the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/** A control bound to a mock in another process, over its admin API. */
export interface ConnectedMock extends MockControl {
  /** `http://HOST:PORT`: the admin API is at `/__admin` under it. */
  origin: string;
}

/**
 * A `MockControl` for the mock at `url` (its origin, or any URL under it such as its public base URL),
 * through its admin API: the same methods, types and answers as the control `startMock` returns.
 */
export function connectMock(url: string, options: ConnectMockOptions = {}): ConnectedMock {
  const { origin } = new URL(url);
  const call = httpAdmin(origin, options.adminToken, options.fetch);
  const baseUrl = `${origin}${PUBLIC_PREFIX}`;
  const control = createControl(call, (apiKey) =>
    createClient({ apiKey, baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) }),
  );
  return { ...control, origin };
}
