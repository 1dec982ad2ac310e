/**
 * The mock's catalogue of errors: each stable code of the spec's `Error` schema and its HTTP status.
 * Every error the mock sends, from any layer, goes out through `sendError` in the spec's shape.
 */
import type { FastifyReply } from "fastify";
import type { ErrorBody, ErrorCode, ErrorDetail } from "../store/types.ts";

export const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_reference: 400,
  sender_not_allowed: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  email_taken: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
};

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
    .code(STATUS[error.code])
    .type("application/json")
    .send(errorBody(error.code, error.message, error.details ?? []));
}
