/**
 * Makes every error response's body an `Error` of the spec (`{ code, message, details? }`).
 *
 * openapi-fetch types `error` from the spec, but at run time it hands back whatever the body was:
 * a string for an HTML page from a proxy, `undefined` for an empty body. So that the type holds,
 * a body that is not an API error is replaced by one whose `code` follows the HTTP status (the spec's
 * `x-status`, through generated/rules.ts) and whose `message` quotes the start of what the server sent.
 */
import { CODE_BY_STATUS } from "../generated/rules.ts";
import type { components } from "../generated/types.ts";

export type ApiError = components["schemas"]["Error"];
type ErrorCode = ApiError["code"];

/** The code an opaque error body gets: the spec's general code of its status, else by class. */
const codeOf = (status: number): ErrorCode =>
  CODE_BY_STATUS[status as keyof typeof CODE_BY_STATUS] ?? (status >= 500 ? "internal_error" : "invalid_request");

const EXCERPT_LENGTH = 200;

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === "string" && typeof message === "string";
}

/** The body of an error response (status >= 400) as an `Error` of the spec. */
export function toApiError(status: number, statusText: string, text: string): ApiError {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isApiError(parsed)) return parsed;
  } catch {
    // Not JSON: described below.
  }
  const code = codeOf(status);
  const excerpt = text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
  const answer = `${status}${statusText ? ` ${statusText}` : ""}`;
  return {
    code,
    message: text.trim()
      ? `The server answered ${answer} with a body that is not an API error: ${excerpt}`
      : `The server answered ${answer} with an empty body.`,
  };
}
