/**
 * The one pipeline every request goes through, public and admin operations alike (operation.ts): over
 * HTTP the Host check (stages/http-guard.ts), then route,
 * CORS, then for an operation its auth (API key or admin token) and workspace, a test's override of it
 * (stages/override.ts: public operations only; it may answer alone), its preface (rate limit,
 * faults, `Prefer`: public operations only), the body, validation by its spec, `Prefer`'s answer or the
 * handler (stages/execute.ts: here, or through the replicas), errors as the spec's answers, latency (public
 * only), and last the journal and the coverage (public only). Requests no operation answers (preflights,
 * 404, 405, the router's refusals) end early. Each stage is a file of stages/.
 */
import { BODY_LIMIT } from "../mock-options.ts";
import type { Scheduler } from "../scheduler.ts";
import type { AdminApi } from "./admin-operations.ts";
import type { CoverageCounter } from "./coverage.ts";
import { errorResponse } from "./error-response.ts";
import type { EngineOperation } from "./operation.ts";
import { parseQuery } from "./query.ts";
import { type ParsedRequest, parseRequest } from "./request.ts";
import { readBody } from "./stages/body.ts";
import type { CorsStage } from "./stages/cors.ts";
import { errorToResponse } from "./stages/error-to-response.ts";
import type { ExecuteStage } from "./stages/execute.ts";
import { checkHost } from "./stages/http-guard.ts";
import type { JournalStage } from "./stages/journal.ts";
import type { NotFoundStage } from "./stages/not-found.ts";
import { networkErrorResponse, type OverrideStage, overrideResponse } from "./stages/override.ts";
import { cannedResponse } from "./stages/prefer.ts";
import type { Route, RouteStage } from "./stages/route.ts";
import type { EngineRequest, EngineResponse, HandleRequest } from "./types.ts";

export interface PipelineStages {
  route: RouteStage;
  cors: CorsStage;
  notFound: NotFoundStage;
  admin: AdminApi;
  execute: ExecuteStage;
  record: JournalStage;
  coverage: CoverageCounter;
  scheduler: Scheduler;
  /** The overrides of public operations (stages/override.ts); left out, none. */
  override?: OverrideStage;
  /**
   * With replicas: catch up with the others' changes before the override stage looks, so that an override
   * added through another replica is seen (a strong read's promise); resolves to whether the state may be
   * stale. Left out, nothing to catch up with.
   */
  catchUp?: () => false | Promise<boolean>;
  /** Told of each unexpected error (a bug in the mock), which is answered 500. */
  report: (error: unknown) => void;
  /** Over HTTP, the hosts answered (stages/http-guard.ts); left out, any Host is. */
  allowedHosts?: "all" | ReadonlySet<string>;
}

/** An operation's answer, and whether the mock chose it (stages/prefer.ts, faults.ts, rate-limit.ts). */
interface Operated {
  response: EngineResponse;
  simulated: boolean;
}

export function createPipeline(stages: PipelineStages): HandleRequest {
  const {
    route,
    cors,
    notFound,
    admin,
    execute,
    record,
    coverage,
    scheduler,
    report,
    allowedHosts,
    override,
    catchUp,
  } = stages;
  const wait = (ms: number) => new Promise<void>((resolve) => scheduler.setTimeout(resolve, ms));

  /** An operation, from its auth to its latency. Never throws: an error is its answer. */
  async function operate(
    operation: EngineOperation,
    params: Record<string, string>,
    request: ParsedRequest,
    headers: Record<string, string>,
  ): Promise<Operated> {
    let response: EngineResponse;
    // The preface's answers (a `Prefer` status, a fault, the rate limit) are the mock's own choice, which
    // the journal marks so that a replay of it does not hold another server to them.
    let simulated = false;
    try {
      let key = operation.auth(request);
      if (operation.scope) key = operation.scope(request);
      let stale: boolean | undefined;
      if (catchUp && operation.kind === "public") {
        const waited = catchUp();
        stale = waited !== false && (await waited);
      }
      const overridden = override?.(operation, key, request, params);
      const hit = overridden?.hit;
      if (hit) {
        // A test's override is the mock's own choice too: a replay does not hold another server to it.
        if (hit.delay > 0) await wait(hit.delay);
        // No latency after a dropped connection: there is no answer to delay.
        if (hit.networkError) return { response: networkErrorResponse(), simulated: true };
        if (hit.status !== undefined) {
          const response = overrideResponse(hit, headers);
          if (operation.latency) await operation.latency();
          return { response, simulated: true };
        }
      }
      simulated = true;
      let answer = operation.preface?.(request);
      if (answer instanceof Promise) answer = await answer;
      simulated = answer !== undefined;
      let body = overridden ? overridden.body : readBody(request, operation.body);
      if (body === undefined && operation.absentBodyIsEmpty) body = {};
      const input = { path: params, query: parseQuery(request.search), body };
      operation.validate?.(input);
      if (answer) response = cannedResponse(answer, headers);
      else {
        const executed = execute(operation, key, input, headers, stale);
        response = executed instanceof Promise ? await executed : executed;
      }
    } catch (error) {
      response = errorToResponse(error, headers, report);
    }
    if (operation.latency) await operation.latency();
    return { response, simulated };
  }

  /** No operation: the public 404 or 405, or the admin API's (after its token). The body is still read first. */
  function noOperation(
    found: Extract<Route, { kind: "none" | "admin-none" }>,
    request: ParsedRequest,
    headers: Record<string, string>,
  ): EngineResponse {
    try {
      if (found.kind === "admin-none") {
        if (found.refusal) return errorResponse(found.refusal, headers);
        admin.checkToken(request);
        return admin.noRoute(request, headers);
      }
      // The body is still read: bad JSON is a 400. With no route at all, a body of another media type is
      // left unread (body.ts, `noRoute`); a 405 on a literal path a template shadows reads it as that
      // template's route would (a 415 for another media type).
      readBody(request, { limit: BODY_LIMIT, ignoreEmpty: false, noRoute: found.shadowed === undefined });
      return notFound(request.method, found.shadowed ?? request.path, found.allowed, headers);
    } catch (error) {
      return errorToResponse(error, headers, report);
    }
  }

  return async (raw: EngineRequest) => {
    const startedAt = scheduler.now();
    let request: ParsedRequest | undefined;
    try {
      request = parseRequest(raw);
      // Before anything else: a Host the mock does not answer gets no route, no CORS and no journal entry.
      const strange = allowedHosts === undefined ? undefined : checkHost(request, allowedHosts);
      if (strange) return errorResponse(strange, {});
      const found = route(request);
      if (found.kind === "refused") return found.response;
      const allowed = cors(request);
      // Set once the operation has run: a preflight to its path is no call of it.
      let operation: EngineOperation | undefined;
      let response: EngineResponse;
      let simulated = false;
      if (allowed.kind === "preflight") response = allowed.response;
      else if (allowed.kind === "not-preflight") {
        // An undocumented method: the public fallback answers it, with no CORS headers.
        response = notFound(request.method, request.path, found.kind === "none" ? found.allowed : [], {});
      } else if (found.kind === "operation") {
        operation = found.operation;
        ({ response, simulated } = await operate(operation, found.params, request, allowed.headers));
      } else response = noOperation(found, request, allowed.headers);
      if (operation === undefined || operation.journaled) {
        const isPublic = operation?.kind === "public";
        const exchange = isPublic ? { request: request.body, response: response.body, simulated } : undefined;
        record(request, response.status, startedAt, isPublic ? (operation?.id ?? null) : null, exchange);
      }
      if (operation?.counted && !response.networkError) coverage.count(operation.id, response.status);
      return response;
    } catch (error) {
      // A bug in a stage itself: still an answer, and the engine serves on.
      const response = errorToResponse(error, {}, report);
      if (request) record(request, response.status, startedAt, null);
      return response;
    }
  };
}
