/**
 * The mock's errors as answers: each stable code of the spec's `Error` schema goes out with the status the
 * spec gives it (`STATUS_BY_CODE`, generated from `x-status`), in the spec's `Error` shape. Every error the
 * engine sends, from any stage, is made here.
 */
import { STATUS_BY_CODE } from "../../generated/rules.ts";
import type { ErrorBody, ErrorCode, ErrorDetail } from "../store/types.ts";
import type { EngineResponse } from "./types.ts";

/** An error raised outside the store (auth, routing, parsing, Prefer, faults), already in the spec's terms. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Headers the answer carries (`retry-after`, `connection`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function errorBody(code: ErrorCode, message: string, details: ErrorDetail[] = []): ErrorBody {
  return details.length > 0 ? { code, message, details } : { code, message };
}

/** What an error answer is made of: its code, message and details. */
export interface ErrorLike {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
}

/**
 * The answer of an error: `headers` first (CORS, then those of the error), then the content type. The
 * content type is the one Fastify gave an object it serialised itself, which the mock's errors always were.
 */
export function errorResponse(error: ErrorLike, headers: Record<string, string> = {}): EngineResponse {
  headers["content-type"] = "application/json; charset=utf-8";
  return {
    status: STATUS_BY_CODE[error.code],
    headers,
    body: JSON.stringify(errorBody(error.code, error.message, error.details ?? [])),
  };
}
