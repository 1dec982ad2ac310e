/**
 * Requests no operation answers: 405 with `Allow` when the path is one of the spec's with another method,
 * else 404; both in the spec's `Error` shape, with no key asked for. Which path it is comes from the match
 * stage, so a literal path that a template also matches is the literal one (`PUT /contact/search` is 405,
 * allow GET, not a PUT of the contact "search").
 */
import { errorResponse } from "../error-response.ts";
import type { EngineResponse } from "../types.ts";

export function methodNotAllowed(
  method: string,
  path: string,
  allowed: readonly string[],
  headers: Record<string, string>,
): EngineResponse {
  const allow = allowed.join(", ");
  headers.allow = allow;
  return errorResponse(
    { code: "method_not_allowed", message: `${method} is not allowed on ${path}; allowed: ${allow}.` },
    headers,
  );
}

/** The answer to `method` on `path` (as sent, still encoded), given the methods its path allows, after `headers`. */
export type NotFoundStage = (
  method: string,
  path: string,
  allowed: readonly string[],
  headers: Record<string, string>,
) => EngineResponse;

export function createNotFoundStage(prefix: string): NotFoundStage {
  return (method: string, path: string, allowed: readonly string[], headers: Record<string, string>) =>
    allowed.length > 0
      ? methodNotAllowed(method, path, allowed, headers)
      : errorResponse(
          {
            code: "not_found",
            message: `No route ${method} ${path}. The API lives under ${prefix}; see /__admin/fixtures for ids.`,
          },
          headers,
        );
}
