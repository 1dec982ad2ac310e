/**
 * How much of a request body the HTTP server takes in: the limit of each route, and how much of a body
 * over it is read and thrown away so that the client can read its 413. The limits are the engine's
 * (admin/handlers.ts `BODY_LIMITS`, the spec's `x-max-body-bytes`): the HTTP server stops keeping a body
 * where the engine would refuse it.
 */
import { createOperationMatcher } from "../../lib/match-operation.ts";
import { BODY_LIMITS } from "../admin/handlers.ts";
import type { AdminOperationId } from "../admin/types.ts";
import { adminOperations } from "../admin/validation.ts";
import { ADMIN_PREFIX, BODY_LIMIT } from "../mock-options.ts";

/**
 * How much of a body over the limit the mock reads, and throws away, before answering 413. Clients send
 * the whole body before they read the answer, so the answer is only seen if the body is taken in. 64 MiB
 * covers a plausible mistake (a file or a generated array sent by error) and takes well under a second
 * on loopback; reading more would only let one request keep the server busy. A larger body (by its
 * Content-Length, or once that much more has been read) gets the 413 with the connection closed at once,
 * and the client may see the connection cut instead.
 */
export const DRAIN_LIMIT = 64 * 1024 * 1024;

/** The admin routes with a limit of their own (`PUT /__admin/state`); every other has the spec's `x-max-body-bytes`. */
const larger = createOperationMatcher(
  adminOperations.flatMap((op) => {
    const limit = BODY_LIMITS[op.id as AdminOperationId];
    return limit === undefined ? [] : [{ method: op.method, path: op.path, limit }];
  }),
);

/** The largest body a request to `method` and `path` (without the query) may carry. */
export function bodyLimitFor(method: string, path: string): number {
  // Most requests are public: one string test spares them the matcher.
  if (!path.startsWith(ADMIN_PREFIX)) return BODY_LIMIT;
  return larger.match(method.toUpperCase(), path).operation?.limit ?? BODY_LIMIT;
}
