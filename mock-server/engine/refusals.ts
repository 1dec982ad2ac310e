/**
 * The answers to a request whose body a transport could not hand over whole: one that stopped arriving
 * (408) and one over the route's limit (413). They are framed as the pipeline frames its own answers: the
 * request's CORS headers, an entry in the journal, a count in the coverage, and, first, what the pipeline
 * answers from the request's head alone, as the mock did when it answered before reading a body: 401
 * without an accepted key (or admin token), 415 for a body that is not JSON.
 *
 * Made of the pipeline's own stages; nothing here runs unless a body is refused, so no request pays for
 * it. Left out on purpose: the rate limit, faults and `Prefer`, which count or draw (a refused request
 * should not use up a window or a fault's turn). Synchronous: a transport answers at once.
 */
import { HttpError } from "../http-error.ts";
import type { AdminApi } from "./admin-operations.ts";
import type { CoverageCounter } from "./coverage.ts";
import { errorResponse } from "./error-response.ts";
import { type ParsedRequest, parseRequest } from "./request.ts";
import { mediaType } from "./stages/body.ts";
import type { CorsStage } from "./stages/cors.ts";
import { checkHost } from "./stages/http-guard.ts";
import type { JournalStage } from "./stages/journal.ts";
import type { Route, RouteStage } from "./stages/route.ts";
import type { BodyRefusal, EngineRequest, EngineResponse } from "./types.ts";

/** Answers `request` (its head) refused for `refusal`; it came in at `startedAt`, on the engine's scheduler. */
export type RefuseBody = (request: EngineRequest, refusal: BodyRefusal, startedAt: number) => EngineResponse;

/** Answers `request` when its head alone is refused (401, 415), as RefuseBody frames it; else undefined. */
export type RefuseHead = (request: EngineRequest, startedAt: number) => EngineResponse | undefined;

export interface RefusalStages {
  route: RouteStage;
  cors: CorsStage;
  admin: AdminApi;
  record: JournalStage;
  coverage: CoverageCounter;
  /** Over HTTP, the hosts answered (stages/http-guard.ts): another Host is refused 403 first. */
  allowedHosts?: "all" | ReadonlySet<string>;
}

/** Methods whose body the engine reads (and so checks for JSON). */
const READS_BODY = (method: string) => method !== "GET" && method !== "HEAD" && method !== "TRACE";

export function createRefusals({ route, cors, admin, record, coverage, allowedHosts }: RefusalStages): {
  refuse: RefuseBody;
  refuseHead: RefuseHead;
} {
  /** The check of the request's head that the pipeline makes before it reads a body, if any. */
  function checkHead(request: ParsedRequest, found: Route): void {
    if (found.kind === "operation") found.operation.auth(request);
    else if (found.kind === "admin-none") admin.checkToken(request);
    else return;
    const type = request.headers["content-type"];
    if (READS_BODY(request.method) && (type === undefined || mediaType(type) !== "application/json")) {
      throw new HttpError(
        "unsupported_media_type",
        `Send the body as application/json; got ${type ?? "no Content-Type"}.`,
      );
    }
  }

  /** The answer, framed and recorded: the head's own refusal, else `refusal` (none: undefined, nothing recorded). */
  function answer(raw: EngineRequest, refusal: BodyRefusal | undefined, startedAt: number): EngineResponse | undefined {
    const request = parseRequest(raw);
    const strange = allowedHosts === undefined ? undefined : checkHost(request, allowedHosts);
    if (strange) return errorResponse(strange, {});
    const found = route(request);
    const allowed = found.kind === "refused" ? undefined : cors(request);
    const headers = allowed?.kind === "headers" ? allowed.headers : {};
    const operation = found.kind === "operation" ? found.operation : undefined;
    let response: EngineResponse;
    try {
      checkHead(request, found);
      if (refusal === undefined) return undefined;
      response = errorResponse(refusal, headers);
    } catch (error) {
      response = errorResponse(error as HttpError, headers);
    }
    if (operation === undefined || operation.journaled) {
      record(request, response.status, startedAt, operation?.kind === "public" ? operation.id : null);
    }
    // The coverage counts it too: a 408 or 413 is documented, and only a transport answers them.
    if (operation?.counted) coverage.count(operation.id, response.status);
    return response;
  }

  return {
    refuse: (request, refusal, startedAt) => answer(request, refusal, startedAt) as EngineResponse,
    refuseHead: (request, startedAt) => answer(request, undefined, startedAt),
  };
}
