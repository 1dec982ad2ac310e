/**
 * Stage 1, routing: where a request goes, public or admin, by the match stage (match.ts, the public
 * spec's paths) and, under `/__admin`, the admin API's own matcher (admin-operations.ts). One answer for
 * the pipeline and for the refusals of a body (refusals.ts) alike.
 */
import type { Operation } from "../../../lib/spec.ts";
import type { HttpError } from "../../http-error.ts";
import type { AdminApi } from "../admin-operations.ts";
import type { EngineOperation } from "../operation.ts";
import type { ParsedRequest } from "../request.ts";
import type { EngineResponse } from "../types.ts";
import type { MatchStage } from "./match.ts";

export type Route =
  /** Refused by the router, before any other stage: no CORS headers, no journal. */
  | { kind: "refused"; response: EngineResponse }
  /** An operation, public or admin, with its path parameters decoded. */
  | { kind: "operation"; operation: EngineOperation; params: Record<string, string> }
  /** No public operation: a 405 when `allowed` lists the path's methods, else 404 (see match.ts). */
  | { kind: "none"; allowed: string[]; shadowed?: string }
  /** Under `/__admin`, no operation: the admin API's 404 or 405, or `refusal` (a parameter too long). */
  | { kind: "admin-none"; refusal: HttpError | undefined };

export type RouteStage = (request: ParsedRequest) => Route;

export function createRouteStage(
  match: MatchStage,
  operations: ReadonlyMap<Operation, EngineOperation>,
  admin: AdminApi,
): RouteStage {
  return (request) => {
    const found = match(request.method, request.path);
    if (found.kind === "operation") {
      return { kind: "operation", operation: operations.get(found.operation) as EngineOperation, params: found.params };
    }
    if (found.kind !== "admin") return found;
    const routed = admin.route(request);
    if (routed.kind === "operation") return routed;
    return { kind: "admin-none", refusal: routed.kind === "refused" ? routed.error : undefined };
  };
}
