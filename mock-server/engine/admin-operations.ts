/**
 * The admin API's operations (`/__admin`, its own spec: admin/admin-openapi.yaml), made once for the
 * pipeline (pipeline.ts) as the public ones are. The rules, kept so that answers stay byte for byte what
 * clients already get:
 *
 * - routing: the path decoded as a public one is (stages/match.ts), matched by the one matcher; a path
 *   parameter over 2048 characters is refused 400 before the token (a malformed path was already refused by
 *   the match stage, before CORS);
 * - auth: over HTTP, an operation's admin write check (403: a write from another web origin, or not sent
 *   as JSON; stages/http-guard.ts; a 404 or 405 changes nothing, so it is not made there), then the admin
 *   token when the mock has one (401), on known and unknown admin paths alike;
 * - scope: a route whose spec declares `x-api-key` acts on that key's workspace (404 for a key of none);
 * - the body (stages/body.ts: JSON only, the route's limit, well-formed); an optional body left out is `{}`;
 * - validation of path, body and query by the admin spec (stages/validation.ts), except `PUT
 *   /__admin/state`, whose handler checks the whole state itself;
 * - the handler (admin/handlers.ts), one call; its result is the 200's JSON body, or no body;
 * - for no route: 405 with `Allow` when the path is the spec's with another method, else 404 naming the
 *   admin routes. The body is read first there too (bad JSON is still a 400), but any media type passes.
 *
 * No rate limit, faults, `Prefer` or latency, and no count in the coverage: those are the public API's.
 */
import { MAX_BODY_BYTES } from "../../generated/rules.ts";
import { createOperationMatcher, type OperationMatcher } from "../../lib/match-operation.ts";
import { adminSpec, type Operation } from "../../lib/spec.ts";
import { BODY_LIMITS, CHECKED_IN_HANDLER, handlers, JOURNAL_ROUTES, PER_REPLICA } from "../admin/handlers.ts";
import { newOverrideId } from "../admin/overrides.ts";
import { JsonChunks, jsonBody } from "../admin/state-json.ts";
import { ADMIN_TOKEN_HEADER, createAdminTokenCheck } from "../admin/token.ts";
import type { AdminBody, AdminContext, AdminOperationId, AdminRequest, Handler } from "../admin/types.ts";
import { ADMIN_SPEC_ID, adminOperations } from "../admin/validation.ts";
import { HttpError } from "../http-error.ts";
import { errorResponse } from "./error-response.ts";
import type { EngineOperation } from "./operation.ts";
import type { ParsedRequest } from "./request.ts";
import { readBody } from "./stages/body.ts";
import { decodePath, MAX_PARAM_LENGTH } from "./stages/match.ts";
import { createOperationValidator, type OperationValidator, type SpecRef } from "./stages/validation.ts";
import type { EngineResponse } from "./types.ts";

const ADMIN_SPEC: SpecRef = { doc: adminSpec, id: ADMIN_SPEC_ID };

/** The routes, as the 404 lists them. */
const ROUTES = adminOperations.map((op) => `${op.method.toUpperCase()} ${op.path}`).join(", ");

let matcher: OperationMatcher<Operation> | undefined;
const adminMatcher = () => {
  matcher ??= createOperationMatcher(adminOperations);
  return matcher;
};

/** Where an admin request goes: an operation with its decoded path parameters, none, or refused before the token. */
export type AdminRoute =
  | { kind: "operation"; operation: EngineOperation; params: Record<string, string> }
  | { kind: "none" }
  | { kind: "refused"; error: HttpError };

/** The header that names a workspace on the admin routes that declare it (those that act on a store). */
const WORKSPACE_KEY_HEADER = "x-api-key";

/** The admin operations that act on one workspace: those whose spec declares the `x-api-key` header. */
const actsOnWorkspace = (op: Operation) =>
  op.parameters.some((p) => p.in === "header" && p.name.toLowerCase() === WORKSPACE_KEY_HEADER);

/** The admin API as the pipeline serves it. */
export interface AdminApi {
  /** Each admin operation, made once. */
  readonly operations: ReadonlyMap<Operation, EngineOperation>;
  /** Where a request under `/__admin` goes. */
  route(request: ParsedRequest): AdminRoute;
  /** The admin token's check (401), for a request under `/__admin` that no operation answers. */
  checkToken(request: ParsedRequest): void;
  /** No operation for this method and path: 405 with `Allow` on a path of the spec, else 404; after `headers`. */
  noRoute(request: ParsedRequest, headers: Record<string, string>): EngineResponse;
}

/**
 * The admin API over `ctx`, each operation made once; `writeCheck`, when the mock is served over HTTP,
 * refuses the writes a web page could have sent (stages/http-guard.ts).
 */
export function createAdminApi(ctx: AdminContext, writeCheck?: (request: ParsedRequest) => void): AdminApi {
  const token = ctx.options.adminToken;
  const tokenCheck = token === undefined ? undefined : createAdminTokenCheck(token);
  const checkToken = (request: ParsedRequest) => tokenCheck?.(request.headers[ADMIN_TOKEN_HEADER]);

  /**
   * The context of an operation on the workspace of `key`: undefined, the default workspace (`ctx` as it
   * is); else that workspace (its store, its key as the only one, its seed and sizes as those a reset starts
   * from, and a reset that leaves the faults' random source, shared by every workspace, alone).
   */
  const contextOf = (key: string | undefined): AdminContext => {
    if (key === undefined || ctx.workspaces === undefined) return ctx;
    const workspace = ctx.workspaces.require(key);
    return {
      ...ctx,
      store: () => workspace.store,
      events: () => ctx.workspaceEvents?.(key),
      options: { ...ctx.options, apiKeys: [workspace.apiKey], seed: workspace.seed },
      reseed: () => undefined,
      ...(ctx.overrideSets ? { overrides: ctx.overrideSets.of(key) } : {}),
    };
  };

  /** Without `x-api-key`, or with one of the mock's keys, the default workspace; a workspace's key, it; any other: 404. */
  const scope = (request: ParsedRequest): string | undefined => {
    const header = request.headers[WORKSPACE_KEY_HEADER];
    if (header === undefined || ctx.options.apiKeys.includes(header)) return undefined;
    if (ctx.workspaces?.get(header) !== undefined) return header;
    throw new HttpError("not_found", "No workspace has this API key: POST /__admin/workspaces makes one.", [
      { in: "header", field: WORKSPACE_KEY_HEADER, message: "is neither a key of the mock nor of a workspace" },
    ]);
  };

  const operation = (op: Operation): EngineOperation => {
    const id = op.id as AdminOperationId;
    const handler = handlers[id] as Handler<AdminOperationId>;
    return {
      kind: "admin",
      id,
      auth: (request) => {
        // The write check before the token: a page's write is refused as such, token or not.
        writeCheck?.(request);
        checkToken(request);
        return undefined;
      },
      scope: actsOnWorkspace(op) ? scope : undefined,
      preface: undefined,
      // A route whose body is optional or absent takes an empty one as none: a write with no body is sent
      // with `content-type: application/json` all the same (stages/http-guard.ts).
      body: {
        limit: BODY_LIMITS[id] ?? MAX_BODY_BYTES,
        ignoreEmpty: op.requestBody === null || !op.requestBody.required,
      },
      absentBodyIsEmpty: op.requestBody !== null && !op.requestBody.required,
      validate: CHECKED_IN_HANDLER.has(id) ? undefined : lazily(op),
      read: op.method === "get",
      shared: !PER_REPLICA.has(id),
      run: (key, input) =>
        handler(
          contextOf(key),
          input.body as AdminBody<AdminOperationId>,
          input as unknown as AdminRequest<AdminOperationId>,
        ),
      settle: (key, body) => settled(id, contextOf(key), body),
      respond: ok,
      journaled: !JOURNAL_ROUTES.has(id),
      counted: false,
      latency: undefined,
    };
  };
  const operations = new Map(adminOperations.map((op) => [op, operation(op)]));

  const route = (request: ParsedRequest): AdminRoute => {
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
    return { kind: "operation", operation: operations.get(found.operation) as EngineOperation, params: found.params };
  };

  return { operations, route, checkToken, noRoute };
}

/** An admin operation's validator, made on its first request (building one reads the spec's schemas). */
function lazily(op: Operation): OperationValidator {
  let validate: OperationValidator | undefined;
  return (parts) => {
    validate ??= createOperationValidator(op, ADMIN_SPEC);
    validate(parts);
  };
}

/**
 * A change's body with what this replica would choose alone written out, so that every replica applies
 * the same change: a reset's seed and sizes, a new workspace's key and seed. (Options may differ between
 * replicas; the accepting one's count.)
 */
function settled(id: AdminOperationId, ctx: AdminContext, body: unknown): unknown {
  if (id === "resetState") return { ...ctx.options.seed, ...(body as object) };
  // A new override's id: the same on every replica, so that removing it by id removes it everywhere.
  if (id === "addOverride") return { id: newOverrideId(), ...(body as object) };
  if (id === "createWorkspace") {
    const given = (body ?? {}) as { apiKey?: string; seed?: object };
    return {
      apiKey: given.apiKey ?? `ws-${globalThis.crypto.randomUUID()}`,
      seed: { ...ctx.options.seed, ...given.seed },
    };
  }
  return body;
}

/**
 * A handler's result as the 200 it is, after the CORS headers: JSON (`; charset=utf-8`, as errors say
 * it), JSON text in pieces (the state, `application/json` with no charset), or no body.
 */
function ok(result: unknown, headers: Record<string, string>): EngineResponse {
  if (result === undefined) return { status: 200, headers };
  if (result instanceof JsonChunks) {
    headers["content-type"] = "application/json";
    return { status: 200, headers, body: jsonBody(result.chunks) };
  }
  headers["content-type"] = "application/json; charset=utf-8";
  return { status: 200, headers, body: JSON.stringify(result) };
}

/** No operation for this method and path: 405 with `Allow` on a path of the spec, else 404. */
function noRoute(request: ParsedRequest, headers: Record<string, string>): EngineResponse {
  try {
    readBody(request, { limit: MAX_BODY_BYTES, ignoreEmpty: false });
  } catch (error) {
    // The answer is the 404 or 405 whatever the body's media type, but a JSON body is read: bad JSON is a 400.
    if (!(error instanceof HttpError && error.code === "unsupported_media_type")) throw error;
  }
  // As sent (not decoded), without the trailing slashes.
  const path = request.path.replace(/\/+$/, "");
  const allowed = adminMatcher().match(request.method, path).allowed;
  if (allowed.length > 0) {
    const allow = allowed.join(", ");
    headers.allow = allow;
    return errorResponse(
      { code: "method_not_allowed", message: `${request.method} is not allowed on ${path}; allowed: ${allow}.` },
      headers,
    );
  }
  return errorResponse(
    { code: "not_found", message: `No admin route ${request.method} ${path}. The admin API has: ${ROUTES}.` },
    headers,
  );
}
