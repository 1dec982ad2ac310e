/**
 * The two openapi-fetch middlewares every client gets:
 * - `apiKeyMiddleware` puts the key in `x-api-key` on every request, and keeps it out of errors
 *   that fetch throws (network failures, a custom fetch's own errors);
 * - `errorBodyMiddleware` makes every error response's body an `Error` of the spec, with the key
 *   masked should the server echo it back.
 * The key lives only in these closures: not in the client's options, so it cannot be printed with them.
 */
import type { Middleware } from "openapi-fetch";
import { toApiError } from "./error-body.ts";
import type { Redactor } from "./redact.ts";

export const API_KEY_HEADER = "x-api-key";

export function apiKeyMiddleware(apiKey: string, redactor: Redactor): Middleware {
  return {
    onRequest({ request }) {
      // The client's key wins over any x-api-key a caller sets per request: one client, one key.
      request.headers.set(API_KEY_HEADER, apiKey);
      return request;
    },
    onError({ error }) {
      const text = error instanceof Error ? describe(error) : String(error);
      if (!redactor.leaks(text)) return undefined; // rethrown as it is
      const message = error instanceof Error ? error.message : String(error);
      // The cause chain is dropped: it is where the key was found, and cannot be cleaned in place.
      const safe = new Error(redactor.redact(message));
      if (error instanceof Error) safe.name = error.name;
      return safe;
    },
  };
}

export function errorBodyMiddleware(redactor: Redactor): Middleware {
  return {
    async onResponse({ response }) {
      // Only 4xx and 5xx: 3xx (manual redirects, 304) have no body to describe.
      if (response.status < 400) return undefined;
      const text = redactor.redact(await response.text());
      const headers = new Headers(response.headers);
      headers.set("content-type", "application/json");
      // The body changes length; fetch has already decoded any content-encoding.
      headers.delete("content-length");
      headers.delete("content-encoding");
      const body = toApiError(response.status, response.statusText, text);
      return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
    },
  };
}

/** An error's message, stack and causes, as one text to search for the key. */
function describe(error: Error, depth = 0): string {
  const own = `${error.message}\n${error.stack ?? ""}`;
  if (depth >= 5 || error.cause === undefined) return own;
  const cause = error.cause instanceof Error ? describe(error.cause, depth + 1) : String(error.cause);
  return `${own}\n${cause}`;
}
