/**
 * The answers the HTTP server gives to a body it could not hand to the engine whole: one that stopped
 * arriving (408) and one over the route's limit (413, after the rest was read and thrown away). They are
 * framed as the engine frames its own answers: the request's CORS headers, an entry in the journal, a count
 * in the coverage (engine/coverage.ts), and, first, what the engine answers from the request's head alone,
 * as the mock did when it answered before reading a body: 401 without an accepted key (or admin token),
 * 415 for a body that is not JSON.
 *
 * Made of the engine's own stages; nothing here runs unless a body is refused, so no request pays for it.
 * Left out on purpose: the rate limit, faults and `Prefer`, which count or draw (a refused request should
 * not use up a window or a fault's turn).
 */
import { listOperations, publicSpec } from "../../lib/spec.ts";
import { ADMIN_TOKEN_HEADER, createAdminTokenCheck } from "../admin/token.ts";
import { errorResponse, HttpError } from "../engine/errors.ts";
import type { Engine } from "../engine/index.ts";
import { parseRequest } from "../engine/request.ts";
import { createKeyCheck } from "../engine/stages/auth.ts";
import { mediaType } from "../engine/stages/body.ts";
import { createCorsStage } from "../engine/stages/cors.ts";
import { createJournalStage, readsJournal } from "../engine/stages/journal.ts";
import { createMatchStage } from "../engine/stages/match.ts";
import type { BodyRefusal, EngineRequest, EngineResponse } from "../engine/types.ts";
import { PUBLIC_PREFIX } from "../options.ts";
import { realScheduler } from "../scheduler.ts";

/**
 * Answers `request` (its head; the body is not there) refused for `refusal`; it came in at `startedAt`, read
 * on the engine's scheduler (the server's `now`), so that the journal times it as the engine times the rest.
 */
export type RefuseBody = (request: EngineRequest, refusal: BodyRefusal, startedAt: number) => EngineResponse;

/** Methods whose body the engine reads (and so checks for JSON). */
const READS_BODY = (method: string) => method !== "GET" && method !== "HEAD" && method !== "TRACE";

export function createBodyRefusals(engine: Engine): RefuseBody {
  const { options } = engine;
  const scheduler = options.scheduler ?? realScheduler;
  const operations = listOperations(publicSpec);
  const match = createMatchStage(operations, PUBLIC_PREFIX);
  const cors = createCorsStage(options.cors ?? true, operations);
  // The engine's own rule: one of the mock's keys, or a workspace's.
  const checkKey = createKeyCheck(options.apiKeys, (key) => engine.workspaces.get(key) !== undefined);
  const checkToken = options.adminToken === undefined ? undefined : createAdminTokenCheck(options.adminToken);
  const record = createJournalStage(engine.journal, scheduler);

  /** The check of the request's head that the engine makes before it reads a body, if any. */
  function checkHead(request: ReturnType<typeof parseRequest>, kind: string): void {
    if (kind === "operation") checkKey(request.headers["x-api-key"]);
    else if (kind === "admin") checkToken?.(request.headers[ADMIN_TOKEN_HEADER]);
    else return;
    const type = request.headers["content-type"];
    if (READS_BODY(request.method) && (type === undefined || mediaType(type) !== "application/json")) {
      throw new HttpError(
        "unsupported_media_type",
        `Send the body as application/json; got ${type ?? "no Content-Type"}.`,
      );
    }
  }

  return (raw, refusal, startedAt) => {
    const request = parseRequest(raw);
    const found = match(request.method, request.path);
    const allowed = found.kind === "refused" ? undefined : cors(request);
    const headers = allowed?.kind === "headers" ? allowed.headers : {};
    let response: EngineResponse;
    try {
      checkHead(request, found.kind);
      response = errorResponse(refusal, headers);
    } catch (error) {
      response = errorResponse(error as HttpError, headers);
    }
    if (!readsJournal(request.method, request.path)) {
      record(request, response.status, startedAt, found.kind === "operation" ? found.operation.id : null);
    }
    // The coverage counts it too: a 408 or 413 is documented, and only the HTTP server answers them.
    if (found.kind === "operation") engine.coverage.count(found.operation.id, response.status);
    return response;
  };
}
