/**
 * How the mock sends errors: each stable code of the spec's `Error` schema with the HTTP status the spec
 * gives it (`STATUS_BY_CODE`, generated from `x-status`). Every error the mock sends, from any layer, goes
 * out through `sendError` in the spec's shape.
 */
import type { FastifyReply } from "fastify";
import { STATUS_BY_CODE } from "../../generated/rules.ts";
import type { ErrorBody, ErrorCode, ErrorDetail } from "../store/types.ts";

/** An error raised in the HTTP layer (auth, routing, parsing), already in the spec's terms. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function errorBody(code: ErrorCode, message: string, details: ErrorDetail[] = []): ErrorBody {
  return details.length > 0 ? { code, message, details } : { code, message };
}

export function sendError(reply: FastifyReply, error: { code: ErrorCode; message: string; details?: ErrorDetail[] }) {
  return reply
    .code(STATUS_BY_CODE[error.code])
    .type("application/json")
    .send(errorBody(error.code, error.message, error.details ?? []));
}
