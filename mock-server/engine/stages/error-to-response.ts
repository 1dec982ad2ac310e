/**
 * Errors: whatever a stage or the store threw becomes the spec's `Error` body with the right status.
 * The store's rules (StoreError), input refused before the store (InvalidInputError), and the engine's own
 * (HttpError, with its headers: `Retry-After`) keep their code; anything else is a bug in the mock, answered
 * 500 `internal_error` and reported, and the engine carries on: no request ever rejects.
 */

import { HttpError } from "../../http-error.ts";
import { InvalidInputError } from "../../invalid-input.ts";
import { StoreError } from "../../store/store-error.ts";
import { errorResponse } from "../error-response.ts";
import type { EngineResponse } from "../types.ts";

/** The answer to `error`, after the CORS headers already in `headers`. */
export function errorToResponse(
  error: unknown,
  headers: Record<string, string>,
  report: (error: unknown) => void,
): EngineResponse {
  if (error instanceof HttpError) return errorResponse(error, Object.assign(headers, error.headers));
  if (error instanceof StoreError || error instanceof InvalidInputError) return errorResponse(error, headers);
  report(error);
  return errorResponse(
    { code: "internal_error", message: "The mock failed unexpectedly; this is a bug in the mock." },
    headers,
  );
}
