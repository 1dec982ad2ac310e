/**
 * The admin API (`/__admin`, its own spec: admin/admin-openapi.yaml) as the engine serves it: a request in,
 * an answer out, the same answers the Fastify plugin gave. The engine hands over every request under
 * `/__admin` (CORS is its own, around this); what happens here, in Fastify's order:
 *
 * 1. route: the path decoded as the router decoded it, matched by the one matcher; a malformed path, or a
 *    path parameter over 2048 characters, is refused 400 before anything else, as the router refused it;
 * 2. the admin token, when the mock has one (401), on known and unknown admin paths alike;
 * 3. the body (stages/body.ts: JSON only, the route's limit, well-formed); an optional body left out is `{}`;
 * 4. validation of path, body and query by the admin spec (stages/validation.ts), except `PUT
 *    /__admin/state`, whose handler checks the whole state itself;
 * 5. the handler (admin/handlers.ts), one call; its result is the 200's JSON body, or no body;
 * 6. for no route: 405 with `Allow` when the path is the spec's with another method, else 404 naming the
 *    admin routes. The body is read first there too (bad JSON is still a 400), but any media type passes.
 *
 * The engine asks `adminRefusal` first, before its CORS stage (step 1's refusals carry no CORS headers and
 * stay out of the journal), and `skipsJournal` after: the journal's own two routes stay out of it.
 */
import { MAX_BODY_BYTES } from "../../generated/rules.ts";
import { createOperationMatcher, type OperationMatcher } from "../../lib/match-operation.ts";
import { adminSpec, type Operation } from "../../lib/spec.ts";
import { BODY_LIMITS, CHECKED_IN_HANDLER, handlers, JOURNAL_ROUTES, PER_REPLICA } from "../admin/handlers.ts";
import { JsonChunks, jsonBody } from "../admin/state-json.ts";
import { ADMIN_TOKEN_HEADER, createAdminTokenCheck } from "../admin/token.ts";
import type { AdminBody, AdminContext, AdminOperationId, AdminRequest, Handler } from "../admin/types.ts";
import { ADMIN_SPEC_ID, adminOperations } from "../admin/validation.ts";
import { errorResponse, HttpError } from "./errors.ts";
import { parseQuery } from "./query.ts";
import { type Change, type Replication, STALE_HEADER } from "./replication.ts";
import type { ParsedRequest } from "./request.ts";
import { readBody } from "./stages/body.ts";
import { errorToResponse } from "./stages/errors.ts";
import { decodePath, MAX_PARAM_LENGTH } from "./stages/match.ts";
import { createOperationValidator, type OperationValidator, type SpecRef } from "./stages/validation.ts";
import type { EngineResponse } from "./types.ts";

const ADMIN_SPEC: SpecRef = { doc: adminSpec, id: ADMIN_SPEC_ID };

/** The admin operations by id, for applying a change a replica sent (which names its operation). */
const operationById = new Map<string, Operation>(adminOperations.map((op) => [op.id, op]));

/** Each admin operation's validator, made on its first request (building one reads the spec's schemas). */
const validators = new Map<Operation, OperationValidator>();
function validatorOf(op: Operation): OperationValidator {
  let validate = validators.get(op);
  if (validate === undefined) {
    validate = createOperationValidator(op, ADMIN_SPEC);
    validators.set(op, validate);
  }
  return validate;
}

/** The routes, as the 404 lists them. */
const ROUTES = adminOperations.map((op) => `${op.method.toUpperCase()} ${op.path}`).join(", ");

let matcher: OperationMatcher<Operation> | undefined;
const adminMatcher = () => {
  matcher ??= createOperationMatcher(adminOperations);
  return matcher;
};

/** Where a request goes: an operation with its decoded path parameters, none, or refused before routing. */
type Route =
  | { kind: "operation"; op: Operation; params: Record<string, string> }
  | { kind: "none" }
  | { kind: "refused"; error: HttpError };

function routeOf(request: ParsedRequest): Route {
  const path = decodePath(request.path);
  if (path === undefined) {
    return {
      kind: "refused",
      error: new HttpError("invalid_request", "The URL is not well-formed (bad percent-encoding)."),
    };
  }
  const found = adminMatcher().match(request.method, path);
  if (!found.operation) return { kind: "none" };
  for (const name in found.params) {
    if ((found.params[name] as string).length > MAX_PARAM_LENGTH) {
      return {
        kind: "refused",
        error: new HttpError("invalid_request", "The request could not be routed: the URL is malformed or too long."),
      };
    }
  }
  return { kind: "operation", op: found.operation, params: found.params };
}

/**
 * The answer to an admin request that the router refused, before any other stage (so with no CORS headers
 * and out of the journal, as Fastify's router refused it): a malformed path, or a path parameter over 2048
 * characters. Undefined for any other request.
 */
export function adminRefusal(request: ParsedRequest): EngineResponse | undefined {
  const route = routeOf(request);
  return route.kind === "refused" ? errorResponse(route.error) : undefined;
}

/** True for the journal's own routes (`GET` and `DELETE /__admin/requests`), which it does not record. */
export function skipsJournal(request: ParsedRequest): boolean {
  const route = routeOf(request);
  return route.kind === "operation" && JOURNAL_ROUTES.has(route.op.id as AdminOperationId);
}

/** The admin API as the engine serves it, and as a replica applies the changes it sent. */
export interface AdminApi {
  /** The answer to a request under `/__admin`: at once, or later when it waits for the replicas. */
  handle(request: ParsedRequest): EngineResponse | Promise<EngineResponse>;
  /** Applies an admin change (see engine/replication.ts): the handler's result, or what it threw. */
  apply(change: Extract<Change, { kind: "admin" }>): unknown;
}

/**
 * The admin API over `ctx`. `report` is told of each unexpected error (a bug in the mock), which is
 * answered 500 `internal_error`; the API serves on. With `replication`, a change of the state (every
 * route but a GET, and but the journal, coverage and delivery log, which are each replica's own) is sent
 * to every replica and answered once applied here, and a read of the state waits for the others' changes.
 */
export function createAdminApi(
  ctx: AdminContext,
  report: (error: unknown) => void = () => undefined,
  replication?: Replication,
): AdminApi {
  const token = ctx.options.adminToken;
  const checkToken = token === undefined ? undefined : createAdminTokenCheck(token);
  const failed = (error: unknown) => errorToResponse(error, {}, report);
  const handle = (request: ParsedRequest): EngineResponse | Promise<EngineResponse> => {
    try {
      const route = routeOf(request);
      if (route.kind === "refused") return errorResponse(route.error);
      checkToken?.(request.headers[ADMIN_TOKEN_HEADER]);
      if (route.kind === "none") return noRoute(request);
      const answered = serve(ctx, route.op, route.params, request, replication);
      return answered instanceof Promise ? answered.catch(failed) : answered;
    } catch (error) {
      return failed(error);
    }
  };
  const apply = (change: Extract<Change, { kind: "admin" }>) => {
    const op = operationById.get(change.op) as Operation;
    const scoped = actsOnWorkspace(op) ? workspaceContext(ctx, change.key) : ctx;
    const handler = handlers[change.op] as Handler<AdminOperationId>;
    const request = { path: change.path, query: change.query } as AdminRequest<AdminOperationId>;
    return handler(scoped, change.body as AdminBody<AdminOperationId>, request);
  };
  return { handle, apply };
}

/** The header that names a workspace on the admin routes that declare it (those that act on a store). */
export const WORKSPACE_KEY_HEADER = "x-api-key";

/** The admin operations that act on one workspace: those whose spec declares the `x-api-key` header. */
const scopedOperations = new WeakMap<Operation, boolean>();
function actsOnWorkspace(op: Operation): boolean {
  let scoped = scopedOperations.get(op);
  if (scoped === undefined) {
    scoped = op.parameters.some((p) => p.in === "header" && p.name.toLowerCase() === WORKSPACE_KEY_HEADER);
    scopedOperations.set(op, scoped);
  }
  return scoped;
}

/**
 * The context of a request to an operation that acts on one workspace: without `x-api-key`, or with one of
 * the mock's keys, the default workspace (`ctx` as it is); with a workspace's key, that workspace (its
 * store, its key as the only one, its seed and sizes as those a reset starts from, and a reset that leaves
 * the faults' random source, shared by every workspace, alone). Any other key: 404.
 */
function workspaceContext(ctx: AdminContext, header: string | string[] | undefined): AdminContext {
  if (header === undefined || (typeof header === "string" && ctx.options.apiKeys.includes(header))) return ctx;
  const workspace = typeof header === "string" ? ctx.workspaces?.get(header) : undefined;
  if (workspace === undefined) {
    throw new HttpError("not_found", "No workspace has this API key: POST /__admin/workspaces makes one.", [
      { in: "header", field: WORKSPACE_KEY_HEADER, message: "is neither a key of the mock nor of a workspace" },
    ]);
  }
  return {
    ...ctx,
    store: () => workspace.store,
    options: { ...ctx.options, apiKeys: [workspace.apiKey], seed: workspace.seed },
    reseed: () => undefined,
  };
}

function serve(
  given: AdminContext,
  op: Operation,
  params: Record<string, string>,
  request: ParsedRequest,
  replication: Replication | undefined,
): EngineResponse | Promise<EngineResponse> {
  const id = op.id as AdminOperationId;
  const header = request.headers[WORKSPACE_KEY_HEADER];
  const ctx = actsOnWorkspace(op) ? workspaceContext(given, header) : given;
  let body = readBody(request, { limit: BODY_LIMITS[id] ?? MAX_BODY_BYTES, ignoreEmpty: false });
  // An optional body left out is an empty one (`POST /__admin/reset` with no body resets as started).
  if (body === undefined && op.requestBody && !op.requestBody.required) body = {};
  const parts = { path: { ...params }, query: parseQuery(request.search) as Record<string, unknown>, body };
  if (!CHECKED_IN_HANDLER.has(id)) validatorOf(op)(parts);
  const handler = handlers[id] as Handler<AdminOperationId>;
  const request_ = { path: parts.path, query: parts.query } as AdminRequest<AdminOperationId>;
  if (replication === undefined || PER_REPLICA.has(id)) {
    const result = handler(ctx, parts.body as AdminBody<AdminOperationId>, request_);
    return result instanceof Promise ? result.then(ok) : ok(result);
  }
  if (op.method === "get") {
    const waited = replication.beforeRead();
    const read = () => ok(handler(ctx, parts.body as AdminBody<AdminOperationId>, request_));
    if (waited === false) return read();
    return waited.then((stale) => {
      const response = read();
      if (stale) response.headers[STALE_HEADER] = "true";
      return response;
    });
  }
  // Only the default workspace's key is left out: a workspace's key goes with the change.
  const key = typeof header === "string" && ctx !== given ? { key: header } : {};
  const change: Change = {
    kind: "admin",
    op: id,
    ...key,
    path: parts.path,
    query: parts.query,
    body: settled(id, ctx, parts.body),
  };
  return replication.submit(change).then(ok);
}

/**
 * A change's body with what this replica would choose alone written out, so that every replica applies
 * the same change: a reset's seed and sizes, a new workspace's key and seed. (Options may differ between
 * replicas; the accepting one's count.)
 */
function settled(id: AdminOperationId, ctx: AdminContext, body: unknown): unknown {
  if (id === "resetState") return { ...ctx.options.seed, ...(body as object) };
  if (id === "createWorkspace") {
    const given = (body ?? {}) as { apiKey?: string; seed?: object };
    return {
      apiKey: given.apiKey ?? `ws-${globalThis.crypto.randomUUID()}`,
      seed: { ...ctx.options.seed, ...given.seed },
    };
  }
  return body;
}

/** A handler's result as the 200 it is: JSON, JSON text in pieces (no charset, as Fastify sent a stream), or no body. */
function ok(result: unknown): EngineResponse {
  if (result === undefined) return { status: 200, headers: {} };
  if (result instanceof JsonChunks) {
    return { status: 200, headers: { "content-type": "application/json" }, body: jsonBody(result.chunks) };
  }
  return { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(result) };
}

/** No operation for this method and path: 405 with `Allow` on a path of the spec, else 404. */
function noRoute(request: ParsedRequest): EngineResponse {
  try {
    readBody(request, { limit: MAX_BODY_BYTES, ignoreEmpty: false });
  } catch (error) {
    // As Fastify's not-found route: a body of another media type is not read, but bad JSON is refused.
    if (!(error instanceof HttpError && error.code === "unsupported_media_type")) throw error;
  }
  // As sent (not decoded), without the trailing slashes.
  const path = request.path.replace(/\/+$/, "");
  const allowed = adminMatcher().match(request.method, path).allowed;
  if (allowed.length > 0) {
    const allow = allowed.join(", ");
    return errorResponse(
      { code: "method_not_allowed", message: `${request.method} is not allowed on ${path}; allowed: ${allow}.` },
      { allow },
    );
  }
  return errorResponse({
    code: "not_found",
    message: `No admin route ${request.method} ${path}. The admin API has: ${ROUTES}.`,
  });
}
