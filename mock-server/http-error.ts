/**
 * The mock's errors in the spec's terms: `HttpError`, an error raised outside the store (auth, routing,
 * parsing, Prefer, faults) with its stable code and the headers its answer carries, and `errorBody`, the
 * spec's `Error` body. Their own module, beside `invalid-input.ts` and the store's `StoreError`, so that the
 * behaviours (behaviour/), the admin handlers, the proxy and the engine raise them without one depending on
 * another. How an error becomes an answer is the engine's (engine/error-response.ts).
 */
import type { ErrorBody, ErrorCode, ErrorDetail } from "./store/types.ts";

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
