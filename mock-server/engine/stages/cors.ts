/**
 * Stage 2, CORS, for browser apps: any origin by default, or only the listed ones, or off. Browsers may
 * send `x-api-key`, `Prefer` and `x-admin-token`, and may read `Retry-After`. The headers' names, values
 * and order are fixed, so that answers stay byte for byte what clients already get.
 *
 * A preflight (OPTIONS with `Origin` and `Access-Control-Request-Method`) answers 204 on any path. Any
 * other OPTIONS is an undocumented method: it goes to the public fallback (405 with `Allow` on the spec's
 * paths, else 404, even under `/__admin`) without CORS headers and with its body unread. With CORS off,
 * OPTIONS is a method like any other.
 */

import type { Operation } from "../../../lib/spec.ts";
import { STALE_HEADER } from "../replication-port.ts";
import type { ParsedRequest } from "../request.ts";
import type { EngineResponse } from "../types.ts";

export type CorsOutcome =
  /** The CORS headers every answer to this request starts with (empty when CORS is off). */
  | { kind: "headers"; headers: Record<string, string> }
  /** A preflight, answered. */
  | { kind: "preflight"; response: EngineResponse }
  /** An OPTIONS that is not a preflight: the fallback answers it, with no CORS headers. */
  | { kind: "not-preflight" };

export type CorsStage = (request: ParsedRequest) => CorsOutcome;

const ALLOWED_HEADERS = "content-type, x-api-key, prefer, x-admin-token";
// The stale flag: a replica's answer read while its Redis was out of reach (engine/replication-port.ts).
const EXPOSED_HEADERS = `retry-after, ${STALE_HEADER}`;
const MAX_AGE = "600";

export function createCorsStage(origins: boolean | string[], operations: readonly Operation[]): CorsStage {
  const methods = [...new Set(operations.map((op) => op.method.toUpperCase()))].join(", ");
  const anyOrigin = origins === true || (Array.isArray(origins) && origins.includes("*"));
  const listed = new Set(Array.isArray(origins) ? origins : []);
  // With a list, the answer depends on the Origin: caches are told so.
  const headersFor = (origin: string | undefined): Record<string, string> => {
    if (anyOrigin) return { "access-control-allow-origin": "*", "access-control-expose-headers": EXPOSED_HEADERS };
    return origin !== undefined && listed.has(origin)
      ? { vary: "Origin", "access-control-allow-origin": origin, "access-control-expose-headers": EXPOSED_HEADERS }
      : { vary: "Origin", "access-control-expose-headers": EXPOSED_HEADERS };
  };

  return (request) => {
    const { headers } = request;
    // Off, OPTIONS is a method like any other: no CORS header, and the routes and fallbacks answer it.
    if (origins === false) return { kind: "headers", headers: {} };
    if (request.method !== "OPTIONS") return { kind: "headers", headers: headersFor(headers.origin) };
    const origin = headers.origin;
    const method = headers["access-control-request-method"];
    if (origin === undefined || !method) return { kind: "not-preflight" };
    const answer = headersFor(origin);
    // An empty Origin is no origin: the preflight is refused, 400 in plain text.
    if (origin === "") {
      answer["content-type"] = "text/plain";
      return { kind: "preflight", response: { status: 400, headers: answer, body: "Invalid Preflight Request" } };
    }
    answer["access-control-allow-methods"] = methods;
    answer["access-control-allow-headers"] = ALLOWED_HEADERS;
    answer["access-control-max-age"] = MAX_AGE;
    return { kind: "preflight", response: { status: 204, headers: answer } };
  };
}
