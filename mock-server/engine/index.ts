/**
 * `createEngine(options)`: the mock's whole behaviour as one function from a request to its response, with
 * no transport in it. Wiring only: each stage is a file of stages/, called here in the order a request
 * meets it (README.md has the table); the store holds the data and the rules.
 *
 * The HTTP server, the in-process fetch and the MSW handlers are adapters around `engine.handle`. What the
 * engine does not do is theirs: reading a body off a socket (and its 408), content-length, the request
 * log, the state file, and sending webhooks (they subscribe to `engine.store.onChange`).
 */
import { listOperations, type Operation, type OperationId, publicSpec } from "../../lib/spec.ts";
import type { AdminContext } from "../admin/types.ts";
import { cannedResponses } from "../behaviour/canned-responses.ts";
import { seededRandom } from "../behaviour/random.ts";
import { BODY_LIMIT, type MockOptions, PUBLIC_PREFIX, withDefaults } from "../mock-options.ts";
import { realScheduler } from "../scheduler.ts";
import { Store } from "../store/store.ts";
import { Webhooks } from "../webhooks/index.ts";
import type { WebhookOptions } from "../webhooks/webhook-options.ts";
import { createAdminApi, skipsJournal } from "./admin.ts";
import { CoverageCounter } from "./coverage.ts";
import { HttpError } from "./errors.ts";
import { parseQuery } from "./query.ts";
import { type Change, type Replication, STALE_HEADER } from "./replication.ts";
import { type ParsedRequest, parseRequest } from "./request.ts";
import { createKeyCheck } from "./stages/auth.ts";
import { type BodyOptions, readBody } from "./stages/body.ts";
import { createCorsStage } from "./stages/cors.ts";
import { errorToResponse } from "./stages/errors.ts";
import { createFaultStage, type FaultStage } from "./stages/faults.ts";
import { type Handler, handlers, type Input } from "./stages/handler.ts";
import { createJournalStage, Journal } from "./stages/journal.ts";
import { createLatencyStage } from "./stages/latency.ts";
import { createMatchStage } from "./stages/match.ts";
import { createNotFoundStage } from "./stages/not-found.ts";
import { cannedResponse, createPreferStage, type PreferStage } from "./stages/prefer.ts";
import { createRateLimitStage } from "./stages/rate-limit.ts";
import { resultResponse } from "./stages/serialize.ts";
import { createOperationValidator, type OperationValidator } from "./stages/validation.ts";
import type { EngineRequest, EngineResponse, HandleRequest } from "./types.ts";
import { Workspaces } from "./workspaces.ts";

export type { Change, Replication } from "./replication.ts";
export type { EngineRequest, EngineResponse, HandleRequest } from "./types.ts";
export type { Workspace, WorkspaceCreate, Workspaces } from "./workspaces.ts";

export interface EngineOptions extends Partial<Omit<MockOptions, "webhooks">> {
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
}

export interface Engine {
  /** Turns a request into its response; never rejects. */
  handle: HandleRequest;
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
  /** Starts the random source of faults and latency afresh from `seed` (as `POST /__admin/reset` does). */
  reseed(seed: number): void;
  /**
   * Applies a change sent through `replication` (by this replica or another), as the request that made it
   * would have: returns the handler's result or throws its error. Deterministic for a given state.
   */
  apply(change: Change): unknown;
}

/** What a public operation needs at each stage, made once. */
interface PublicRoute {
  id: OperationId;
  fault: FaultStage | undefined;
  prefer: PreferStage;
  body: BodyOptions;
  validate: OperationValidator;
  handler: Handler<OperationId>;
  /** A GET: its answer is made from the records' kept texts. */
  read: boolean;
}

export function createEngine(input: EngineOptions = {}): Engine {
  const { webhooks: webhooksOption, onError, replication, ...rest } = input;
  const given = webhooksOption instanceof Webhooks ? webhooksOption : undefined;
  const delivery = given || webhooksOption === undefined ? {} : { webhooks: webhooksOption as Partial<WebhookOptions> };
  const options = withDefaults({ ...rest, ...delivery });
  const report = onError ?? (() => undefined);
  const scheduler = options.scheduler ?? realScheduler;
  const storeOptions = {
    ...(options.now ? { now: options.now } : {}),
    ...(options.newId ? { newId: options.newId } : {}),
  };
  const store = Store.seeded(options.seed, storeOptions);
  const workspaces = new Workspaces({ defaultKeys: options.apiKeys, seed: options.seed, store: storeOptions });
  const webhooks = given ?? new Webhooks(options.webhooks, { now: options.now, scheduler });
  const journal = new Journal(options.journalCapacity);
  const coverage = new CoverageCounter();

  // One random source for faults and latency, seeded by the data's seed so that a run replays.
  let source = options.random ?? seededRandom(options.seed.seed);
  const random = () => source();
  const reseed = (seed: number) => {
    if (options.random === undefined) source = seededRandom(seed);
  };

  const operations = listOperations(publicSpec);
  const match = createMatchStage(operations, PUBLIC_PREFIX);
  const cors = createCorsStage(options.cors ?? true, operations);
  const notFound = createNotFoundStage(PUBLIC_PREFIX);
  const checkKey = createKeyCheck(options.apiKeys);
  const rateLimit = createRateLimitStage(options.rateLimit, options.clock ?? (() => scheduler.now()));
  const latency = createLatencyStage(options.latency, random, scheduler);
  const record = createJournalStage(journal, scheduler);
  const ctx: AdminContext = {
    store: () => store,
    journal,
    coverage,
    options,
    webhooks,
    reseed,
    workspaces,
    ...(replication ? { replication } : {}),
  };
  const admin = createAdminApi(ctx, report, replication);
  const routes = new Map<Operation, PublicRoute>(operations.map((op) => [op, publicRoute(op)]));

  function publicRoute(op: Operation): PublicRoute {
    const table = cannedResponses(op);
    return {
      id: op.id,
      fault: createFaultStage(table, options.errorRate ?? 0, random),
      prefer: createPreferStage(table, scheduler),
      body: { limit: BODY_LIMIT, ignoreEmpty: op.requestBody === null },
      validate: createOperationValidator(op),
      handler: handlers[op.id] as Handler<OperationId>,
      read: op.method === "get",
    };
  }

  /** A public operation: auth, rate limit, faults, Prefer, body, validation, then Prefer's answer or the handler. */
  async function operate(
    route: PublicRoute,
    params: Record<string, string>,
    request: ParsedRequest,
    headers: Record<string, string>,
  ): Promise<EngineResponse> {
    let response: EngineResponse;
    try {
      const key = request.headers["x-api-key"];
      // A workspace's key reaches its store; any other key must be one of the mock's (the default store).
      const workspace = typeof key === "string" ? workspaces.get(key) : undefined;
      if (workspace === undefined) checkKey(key);
      rateLimit?.(key as string);
      route.fault?.();
      let answer = route.prefer(request.headers.prefer);
      if (answer instanceof Promise) answer = await answer;
      const body = readBody(request, route.body);
      const parts = { path: params, query: parseQuery(request.search), body };
      route.validate(parts);
      const input = parts as unknown as Input<OperationId>;
      if (answer) response = cannedResponse(answer, headers);
      else if (replication) response = await replicated(route, workspace?.apiKey, input, headers, replication);
      else response = resultResponse(route.handler(workspace?.store ?? store, input), route.read, headers);
    } catch (error) {
      response = errorToResponse(error, headers, report);
    }
    if (latency) await latency();
    return response;
  }

  /**
   * A public operation over a replicated state: a read waits until this replica holds every change made
   * before it (and says when it could not know), a write is sent to every replica and answered with what
   * applying it here gave.
   */
  async function replicated(
    route: PublicRoute,
    key: string | undefined,
    input: Input<OperationId>,
    headers: Record<string, string>,
    through: Replication,
  ): Promise<EngineResponse> {
    if (route.read) {
      const waited = through.beforeRead();
      const stale = waited !== false && (await waited);
      const response = resultResponse(route.handler(storeOf(key), input), true, headers);
      if (stale) response.headers[STALE_HEADER] = "true";
      return response;
    }
    const { path, query, body } = input as { path: unknown; query: unknown; body: unknown };
    const change: Change = { kind: "public", op: route.id, path, query, body, ...(key ? { key } : {}) };
    return resultResponse(await through.submit(change), false, headers);
  }

  /** The store of a workspace's key, or the default one; a workspace removed since is a 401, as its key now is. */
  function storeOf(key: string | undefined): Store {
    if (key === undefined) return store;
    const workspace = workspaces.get(key);
    if (workspace === undefined) throw new HttpError("unauthorized", "This API key's workspace has been removed.");
    return workspace.store;
  }

  function apply(change: Change): unknown {
    if (change.kind === "admin") return admin.apply(change);
    const handler = handlers[change.op] as Handler<OperationId>;
    return handler(storeOf(change.key), change as unknown as Input<OperationId>);
  }

  /** Every request but a public operation's: refused URLs, preflights, the admin API, 404 and 405. */
  function answer(
    request: ParsedRequest,
  ):
    | { response: EngineResponse; journal: boolean }
    | { pending: Promise<EngineResponse>; journal: boolean }
    | PublicCall {
    const found = match(request.method, request.path);
    // Refused by the router, before any hook: no CORS headers, no journal.
    if (found.kind === "refused") return { response: found.response, journal: false };
    const allowed = cors(request);
    if (allowed.kind === "preflight") return { response: allowed.response, journal: true };
    if (allowed.kind === "not-preflight") {
      const methods = found.kind === "none" ? found.allowed : [];
      return { response: notFound(request.method, request.path, methods, {}), journal: true };
    }
    const { headers } = allowed;
    if (found.kind === "operation") {
      return { route: routes.get(found.operation) as PublicRoute, params: found.params, headers };
    }
    if (found.kind === "admin") {
      const response = admin.handle(request);
      const journal = !skipsJournal(request);
      const withCors = (answered: EngineResponse) => {
        answered.headers = { ...headers, ...answered.headers };
        return answered;
      };
      if (response instanceof Promise) return { pending: response.then(withCors), journal };
      return { response: withCors(response), journal };
    }
    // No operation: a body is still read first, as Fastify's not-found route and explicit 405s read it.
    const shadowed = found.shadowed;
    try {
      readBody(request, { limit: BODY_LIMIT, ignoreEmpty: false, noRoute: shadowed === undefined });
    } catch (error) {
      return { response: errorToResponse(error, headers, report), journal: true };
    }
    return { response: notFound(request.method, shadowed ?? request.path, found.allowed, headers), journal: true };
  }

  const handle: HandleRequest = async (raw: EngineRequest) => {
    const startedAt = scheduler.now();
    let request: ParsedRequest | undefined;
    try {
      request = parseRequest(raw);
      const outcome = answer(request);
      if ("route" in outcome) {
        const response = await operate(outcome.route, outcome.params, request, outcome.headers);
        record(request, response.status, startedAt, outcome.route.id);
        coverage.count(outcome.route.id, response.status);
        return response;
      }
      const response = "pending" in outcome ? await outcome.pending : outcome.response;
      if (outcome.journal) record(request, response.status, startedAt, null);
      return response;
    } catch (error) {
      // A bug in a stage itself: still an answer, and the engine serves on.
      const response = errorToResponse(error, {}, report);
      if (request) record(request, response.status, startedAt, null);
      return response;
    }
  };

  return {
    handle,
    store,
    journal,
    coverage,
    options,
    webhooks,
    workspaces,
    reseed,
    apply,
  };
}

interface PublicCall {
  route: PublicRoute;
  params: Record<string, string>;
  headers: Record<string, string>;
}
