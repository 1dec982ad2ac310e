/**
 * How the mock sends errors: each stable code of the spec's `Error` schema with the HTTP status the spec
 * gives it (`STATUS_BY_CODE`, generated from `x-status`). Every error the mock sends, from any layer, goes
 * out through `sendError` in the spec's shape.
 */
import type { FastifyReply } from "fastify";
import { STATUS_BY_CODE } from "../../generated/rules.ts";
import { errorBody, HttpError } from "../engine/errors.ts";
import type { ErrorCode, ErrorDetail } from "../store/types.ts";

// HttpError lives in the engine now (no Fastify in it); kept reachable from here for the Fastify app.
export { errorBody, HttpError };

export function sendError(reply: FastifyReply, error: { code: ErrorCode; message: string; details?: ErrorDetail[] }) {
  return reply
    .code(STATUS_BY_CODE[error.code])
    .type("application/json")
    .send(errorBody(error.code, error.message, error.details ?? []));
}
