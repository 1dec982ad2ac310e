/**
 * A request as the stages read it: the `EngineRequest` a transport hands in, with its URL cut once into
 * path and query. Nothing is decoded or checked here; each stage reads what it needs (the matcher the
 * path, validation the query, the body stage the body).
 */
import type { EngineRequest } from "./types.ts";

export interface ParsedRequest {
  /** Upper case: `GET`. */
  method: string;
  /** The path and query as sent, origin left out (`/public/v1/contact?page=2`): what the journal records. */
  url: string;
  /** The path, still percent-encoded, without the query (`/public/v1/contact`). */
  path: string;
  /** The query string's parameters, decoded. */
  query: URLSearchParams;
  /** The query string as sent, without its `?` (empty when there is none). */
  search: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body as sent, or undefined when there was none. */
  body: Uint8Array | string | undefined;
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
  const url = pathAndQuery(request.url);
  const mark = url.indexOf("?");
  const path = mark < 0 ? url : url.slice(0, mark);
  const search = mark < 0 ? "" : url.slice(mark + 1);
  return {
    method: request.method.toUpperCase(),
    url,
    path,
    query: new URLSearchParams(search),
    search,
    headers: request.headers,
    body: request.body,
  };
}
