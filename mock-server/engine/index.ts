/**
 * `createEngine(options)`: the mock's whole behaviour as one function from a request to its response, with
 * no transport in it. Wiring only: the operations, public and admin, are made once (public-operations.ts,
 * admin-operations.ts) and every request goes through the one pipeline (pipeline.ts), whose stages are the
 * files of stages/ (README.md has the table); the store holds the data and the rules.
 *
 * The HTTP server, the in-process fetch and the MSW handlers are adapters around `engine.handle`; a
 * transport that reads bodies off a socket also asks `bodyLimit`, `refuse`, `refuseHead` and `now`. What the engine does
 * not do is theirs: reading a body off a socket, content-length, the request log, the state file, and
 * sending webhooks (they subscribe to `engine.store.onChange`).
 */
import { listOperations, publicSpec } from "../../lib/spec.ts";
import type { WebhookPayload } from "../../lib/webhooks.ts";
import { handlers as adminHandlers } from "../admin/handlers.ts";
import type { AdminContext, StateFileStatus } from "../admin/types.ts";
import { seededRandom } from "../behaviour/random.ts";
import type { Clock } from "../clock.ts";
import {
  ADMIN_PREFIX,
  dateOf,
  type MockOptions,
  type MockOptionsInput,
  PUBLIC_PREFIX,
  withDefaults,
} from "../mock-options.ts";
import { Store } from "../store/store.ts";
import { Webhooks } from "../webhooks/index.ts";
import type { WebhookOptions } from "../webhooks/webhook-options.ts";
import { createAdminApi } from "./admin-operations.ts";
import { CoverageCounter } from "./coverage.ts";
import { createEventLog, type EventLog } from "./events.ts";
import type { EngineOperation } from "./operation.ts";
import { Overrides } from "./overrides.ts";
import { createPipeline } from "./pipeline.ts";
import { createPublicOperations } from "./public-operations.ts";
import { createRefusals } from "./refusals.ts";
import type { Change, Replication } from "./replication-port.ts";
import { parseRequest } from "./request.ts";
import { Journal } from "./request-journal.ts";
import { ScenarioCatalogue } from "./scenarios.ts";
import { createBodyLimitStage } from "./stages/body-limit.ts";
import { type CorsStage, createCorsStage } from "./stages/cors.ts";
import { createExecuteStage } from "./stages/execute.ts";
import { createAdminWriteCheck, type HttpGuardOptions, isHostAllowed } from "./stages/http-guard.ts";
import { createJournalStage } from "./stages/journal.ts";
import { createLatencyStage } from "./stages/latency.ts";
import { createMatchStage } from "./stages/match.ts";
import { createNotFoundStage } from "./stages/not-found.ts";
import { createOverrideStage } from "./stages/override.ts";
import { createRouteStage } from "./stages/route.ts";
import type { RequestParts } from "./stages/validation.ts";
import type { EngineRequest, EngineResponse, EngineTransportApi, HandleRequest } from "./types.ts";
import { Workspaces } from "./workspaces.ts";

export type {
  OverrideAnswer,
  OverrideContext,
  OverrideCreate,
  OverrideFunction,
  OverrideSet,
  Overrides,
  OverrideView,
} from "./overrides.ts";
export type { Change, Replication } from "./replication-port.ts";
export type { Scenario, ScenarioFile, ScenarioStatus } from "./scenarios.ts";
export type { HttpGuardOptions } from "./stages/http-guard.ts";
export type {
  BodyRefusal,
  EngineRequest,
  EngineResponse,
  EngineTransportApi,
  HandleRequest,
} from "./types.ts";
export type { Workspace, WorkspaceCreate, Workspaces } from "./workspaces.ts";

export interface EngineOptions extends Omit<MockOptionsInput, "webhooks"> {
  /**
   * The webhook subscriptions and delivery log the admin API shows: a `Webhooks` to share one with a
   * sender, or its options to have the engine make one (it then sends nothing until someone subscribes it
   * to the store's changes).
   */
  webhooks?: Webhooks | Partial<WebhookOptions>;
  /** Told of each unexpected error (a bug in the mock), which is answered 500. Default: none. */
  onError?: (error: unknown) => void;
  /**
   * The state shared with other replicas (mock-server/replication/): each change goes through it and is
   * applied when it comes back in order, and a read waits for it first. Left out, the store is called
   * directly.
   */
  replication?: Replication;
  /** Where the state file stands, for `GET /__admin/health` (the file itself is the server's: state-file.ts). */
  stateFileStatus?: () => StateFileStatus | null;
  /**
   * Pages served in front of the API (the `/docs` page, which reads files the engine never reads): the
   * answer to a request for one of them, undefined for any other request. Their answers carry the API's
   * CORS headers (a page elsewhere may load the spec), and stay out of the journal and the coverage.
   */
  pages?: (request: EngineRequest) => Promise<EngineResponse> | undefined;
  /**
   * The checks of a mock served over HTTP (stages/http-guard.ts): the Host check, the admin write check,
   * and CORS for `/__admin` given to the listed origins only. The HTTP server sets them; left out (the
   * in-process transports), any Host and Origin is answered and `/__admin` has the public API's CORS.
   */
  httpGuard?: HttpGuardOptions;
}

export interface Engine extends EngineTransportApi {
  /** The data and the rules. The same object for the engine's life: a reset or an import replaces its state. */
  readonly store: Store;
  /** Recent requests (`GET /__admin/requests`). */
  readonly journal: Journal;
  /** The statuses answered, by operation (`GET /__admin/coverage`); `report()` gives the table. */
  readonly coverage: CoverageCounter;
  /** The options, with their defaults. */
  readonly options: MockOptions;
  /** Webhook subscriptions and the delivery log (`/__admin/webhooks`). */
  readonly webhooks: Webhooks;
  /**
   * The workspaces beside the default one (`POST /__admin/workspaces`), each a store with its own API key:
   * `create` makes one, `get(key)` finds one, `onCreate` tells of each new one (to subscribe to its store's
   * changes). A public request with a workspace's key reaches that workspace's store only.
   */
  readonly workspaces: Workspaces;
  /** The default workspace's webhook events, kept as the store tells them (`GET /__admin/events`). */
  readonly events: EventLog;
  /** Stops keeping events (the logs stop listening to the stores). */
  close(): void;
  /** The mock's clock (clock.ts): `set`, `advance` and `real` move every date and wait of the mock. */
  readonly clock: Clock;
  /**
   * What tests asked public operations to answer (engine/overrides.ts), by workspace key (undefined: the
   * default workspace). Data overrides are added through `POST /__admin/overrides`; function overrides,
   * which are code, through `overrides.of(key).addFunction(...)`.
   */
  readonly overrides: Overrides;
  /** The scenarios there are (`POST /__admin/scenario`): the mock's and those of `scenarios`. */
  readonly scenarios: ScenarioCatalogue;
  /** Starts the random source of faults and latency afresh from `seed` (as `POST /__admin/reset` does). */
  reseed(seed: number): void;
  /**
   * Applies a change sent through `replication` (by this replica or another), as the request that made it
   * would have: returns the handler's result or throws its error. Deterministic for a given state.
   */
  apply(change: Change): unknown;
}

export function createEngine(input: EngineOptions = {}): Engine {
  const { webhooks: webhooksOption, onError, replication, pages, httpGuard, stateFileStatus, ...rest } = input;
  const given = webhooksOption instanceof Webhooks ? webhooksOption : undefined;
  const delivery = given || webhooksOption === undefined ? {} : { webhooks: webhooksOption as Partial<WebhookOptions> };
  const options = withDefaults({ ...rest, ...delivery });
  const report = onError ?? (() => undefined);
  const { clock } = options;
  // The clock is the one source of time; a test of the mock may stand in for its timers or its date.
  const scheduler = options.scheduler ?? clock;
  const now = dateOf(options);
  const storeOptions = {
    now,
    ...(options.newId ? { newId: options.newId } : {}),
  };
  const store = Store.seeded(options.seed, storeOptions);
  const workspaces = new Workspaces({ defaultKeys: options.apiKeys, seed: options.seed, store: storeOptions });
  const webhooks = given ?? new Webhooks(options.webhooks, { now, scheduler });
  // The webhook events of each workspace, kept as its store tells them (`GET /__admin/events`); only the
  // default workspace's are told to `onEvent`.
  const eventLog = (of: Store, onEvent?: (event: WebhookPayload) => void) =>
    createEventLog(of, {
      now,
      capacity: options.eventCapacity,
      ...(onEvent ? { onEvent } : {}),
      ...(onError ? { onError } : {}),
    });
  const events = eventLog(store, options.onEvent);
  const workspaceEvents = new Map<string, EventLog>();
  workspaces.onCreate((workspace) => {
    workspaceEvents.get(workspace.apiKey)?.close();
    workspaceEvents.set(workspace.apiKey, eventLog(workspace.store));
  });
  const journal = new Journal(options.journalCapacity, options.journalBodies ? undefined : 0);
  const coverage = new CoverageCounter();
  const overrides = new Overrides();
  const scenarios = new ScenarioCatalogue(options.scenarios);

  // One random source for faults and latency, seeded by the data's seed so that a run replays.
  let source = options.random ?? seededRandom(options.seed.seed);
  const random = () => source();
  const reseed = (seed: number) => {
    if (options.random === undefined) source = seededRandom(seed);
  };

  const operations = listOperations(publicSpec);
  const cors = corsStage(options.cors ?? true, httpGuard, operations);
  const record = createJournalStage(journal, scheduler, () => clock.epochMs());
  const ctx: AdminContext = {
    store: () => store,
    journal,
    coverage,
    options,
    webhooks,
    reseed,
    workspaces,
    events: () => events,
    workspaceEvents: (apiKey) => workspaceEvents.get(apiKey),
    overrides: overrides.of(undefined),
    overrideSets: overrides,
    scenarios,
    ...(replication ? { replication } : {}),
    ...(stateFileStatus ? { stateFileStatus } : {}),
  };
  const admin = createAdminApi(ctx, httpGuard ? createAdminWriteCheck(httpGuard) : undefined);
  const latency = createLatencyStage(options.latency, random, scheduler);
  const publicOperations = createPublicOperations(operations, {
    options,
    store,
    workspaces,
    scheduler,
    random,
    latency,
  });
  const route = createRouteStage(createMatchStage(operations, PUBLIC_PREFIX), publicOperations, admin);
  const handleApi = createPipeline({
    route,
    cors,
    notFound: createNotFoundStage(PUBLIC_PREFIX),
    admin,
    execute: createExecuteStage(replication),
    record,
    coverage,
    scheduler,
    report,
    override: createOverrideStage(
      overrides,
      (key) => (key === undefined ? store : workspaces.require(key).store).state,
    ),
    ...(replication ? { catchUp: () => replication.beforeRead() } : {}),
    ...(httpGuard ? { allowedHosts: httpGuard.allowedHosts } : {}),
  });
  // `--scenario NAME`: turned on before the first request, as `POST /__admin/scenario` would.
  if (options.scenario !== undefined)
    adminHandlers.setScenario(ctx, { name: options.scenario }, { path: {}, query: {} } as never);
  const { refuse, refuseHead } = createRefusals({
    route,
    cors,
    admin,
    record,
    coverage,
    ...(httpGuard ? { allowedHosts: httpGuard.allowedHosts } : {}),
  });

  // Every operation by its kind and id, for applying a change a replica sent (which names its operation).
  const byId = new Map<string, EngineOperation>();
  for (const operation of [...publicOperations.values(), ...admin.operations.values()]) {
    byId.set(`${operation.kind} ${operation.id}`, operation);
  }
  function apply(change: Change): unknown {
    const operation = byId.get(`${change.kind} ${change.op}`) as EngineOperation;
    return operation.run(change.key, change as unknown as RequestParts);
  }

  const withCors = (request: EngineRequest) => (response: EngineResponse) => {
    const allowed = cors(parseRequest(request));
    if (allowed.kind === "headers") response.headers = { ...allowed.headers, ...response.headers };
    return response;
  };
  // The pages answer only the hosts the pipeline answers; it refuses the others.
  const hosts = httpGuard?.allowedHosts;
  const page = (request: EngineRequest) =>
    hosts === undefined || isHostAllowed(request.headers.host, hosts) ? pages?.(request) : undefined;
  const handle: HandleRequest = pages
    ? (request) => page(request)?.then(withCors(request)) ?? handleApi(request)
    : handleApi;

  return {
    handle,
    bodyLimit: createBodyLimitStage(),
    refuse,
    refuseHead,
    now: () => scheduler.now(),
    store,
    journal,
    coverage,
    options,
    webhooks,
    workspaces,
    events,
    close: () => {
      events.close();
      for (const log of workspaceEvents.values()) log.close();
    },
    clock,
    overrides,
    scenarios,
    reseed,
    apply,
  };
}

/**
 * CORS by path: the public API's (`--cors`) everywhere, but under `/__admin` of a mock served over HTTP
 * only the origins of `--admin-cors` (none by default): a page elsewhere must not read the state or the
 * fixtures, which list the API keys.
 */
function corsStage(
  origins: boolean | string[],
  guard: HttpGuardOptions | undefined,
  operations: ReturnType<typeof listOperations>,
): CorsStage {
  const publicCors = createCorsStage(origins, operations);
  if (guard === undefined) return publicCors;
  // No origin named: no CORS at all (a preflight is then an OPTIONS like any other, which no admin route takes).
  const adminCors = createCorsStage(guard.adminOrigins.length > 0 ? [...guard.adminOrigins] : false, operations);
  const adminSlash = `${ADMIN_PREFIX}/`;
  return (request) =>
    request.path === ADMIN_PREFIX || request.path.startsWith(adminSlash) ? adminCors(request) : publicCors(request);
}
