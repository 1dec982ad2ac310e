/**
 * A request as the stages read it: the `EngineRequest` a transport hands in, with its URL cut once into
 * path and query string, and its method in upper case. Nothing is decoded or checked here; each stage
 * reads what it needs (the matcher the path, validation the query through query.ts, the body stage the body).
 */
import type { EngineRequest } from "./types.ts";

export interface ParsedRequest {
  /** Upper case: `GET`. */
  readonly method: string;
  /** The path and query as sent, origin and fragment left out (`/public/v1/contact?page=2`): what the journal records. */
  readonly url: string;
  /** The path, still percent-encoded, without the query (`/public/v1/contact`). */
  readonly path: string;
  /** The query string as sent, without its `?` (empty when there is none); query.ts reads it. */
  readonly search: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body as sent, or undefined when there was none. */
  readonly body: Uint8Array | string | undefined;
}

/** `https://host:1/a?b` is `/a?b`; a URL that is already a path is kept as it is. */
function pathAndQuery(url: string): string {
  if (url.startsWith("/")) return url;
  const scheme = url.indexOf("://");
  if (scheme < 0) return `/${url}`;
  const slash = url.indexOf("/", scheme + 3);
  const query = url.indexOf("?", scheme + 3);
  if (slash < 0 || (query >= 0 && query < slash)) return query < 0 ? "/" : `/${url.slice(query)}`;
  return url.slice(slash);
}

export function parseRequest(request: EngineRequest): ParsedRequest {
  // A fragment is the client's own; it is never sent, but a whole URL handed in may still hold one.
  const hash = request.url.indexOf("#");
  const url = pathAndQuery(hash < 0 ? request.url : request.url.slice(0, hash));
  const mark = url.indexOf("?");
  return {
    method: request.method.toUpperCase(),
    url,
    path: mark < 0 ? url : url.slice(0, mark),
    search: mark < 0 ? "" : url.slice(mark + 1),
    headers: request.headers,
    body: request.body,
  };
}
