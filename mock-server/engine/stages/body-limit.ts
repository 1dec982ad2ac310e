/**
 * The body limit of each route, for a transport that reads a body off a socket: it stops keeping a body
 * where the body stage would refuse it. The limits are the body stage's: the spec's `x-max-body-bytes`,
 * and the admin routes with a larger one of their own (admin/handlers.ts `BODY_LIMITS`: `PUT
 * /__admin/state`).
 */
import { createOperationMatcher } from "../../../lib/match-operation.ts";
import { BODY_LIMITS } from "../../admin/handlers.ts";
import type { AdminOperationId } from "../../admin/types.ts";
import { adminOperations } from "../../admin/validation.ts";
import { ADMIN_PREFIX, BODY_LIMIT } from "../../mock-options.ts";

/** The largest body a request to `method` and `url` (path, query ignored) may carry, in bytes. */
export type BodyLimitStage = (method: string, url: string) => number;

export function createBodyLimitStage(): BodyLimitStage {
  /** The admin routes with a limit of their own; every other has the spec's `x-max-body-bytes`. */
  const larger = createOperationMatcher(
    adminOperations.flatMap((op) => {
      const limit = BODY_LIMITS[op.id as AdminOperationId];
      return limit === undefined ? [] : [{ method: op.method, path: op.path, limit }];
    }),
  );
  return (method, url) => {
    // Most requests are public: one string test spares them the matcher.
    if (!url.startsWith(ADMIN_PREFIX)) return BODY_LIMIT;
    const mark = url.indexOf("?");
    const path = mark < 0 ? url : url.slice(0, mark);
    return larger.match(method.toUpperCase(), path).operation?.limit ?? BODY_LIMIT;
  };
}
