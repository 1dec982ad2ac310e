/**
 * An error as an answer: each stable code of the spec's `Error` schema goes out with the status the spec
 * gives it (`STATUS_BY_CODE`, generated from `x-status`), in the spec's `Error` shape. Every error the
 * engine sends, from any stage, is made here (stages/error-to-response.ts turns what was thrown into one).
 */
import { STATUS_BY_CODE } from "../../generated/rules.ts";
import { type ErrorLike, errorBody } from "../http-error.ts";
import type { EngineResponse } from "./types.ts";

/**
 * The answer of an error: `headers` first (CORS, then those of the error), then the content type,
 * `application/json; charset=utf-8`, as the mock's errors have always said it (its successes say no
 * charset: stages/serialize.ts), so that answers stay byte for byte what clients already get.
 */
export function errorResponse(error: ErrorLike, headers: Record<string, string> = {}): EngineResponse {
  headers["content-type"] = "application/json; charset=utf-8";
  return {
    status: STATUS_BY_CODE[error.code],
    headers,
    body: JSON.stringify(errorBody(error.code, error.message, error.details ?? [])),
  };
}
