/**
 * The engine behind web-standard `Request` and `Response`: what the fetch adapter and the MSW handlers share.
 * No Node API, so that it runs in a browser's service worker page as well as in Node.
 */
import { API_BASE_PATH } from "../../generated/rules.ts";
import type { EngineRequest, EngineResponse, HandleRequest } from "../engine/types.ts";
import { LeanResponse } from "./lean-response.ts";

/** Statuses whose response may carry no body: `new Response(body, { status })` throws for them. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Where the public API is served from, parsed once. A base URL with another path than the spec's
 * (`http://localhost:3000/api`) has its path taken for `/public/v1`, so the engine sees the spec's paths.
 */
export interface BaseUrl {
  /** As given, without a trailing slash: `https://api.converseiq.com.au/public/v1`. */
  href: string;
  /** `https://api.converseiq.com.au` */
  origin: string;
  /** `/public/v1`, or the base URL's own path. */
  path: string;
}

export function parseBaseUrl(baseUrl: string): BaseUrl {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl must be an absolute URL (https://host/path); got ${JSON.stringify(baseUrl)}`);
  }
  if (url.search !== "" || url.hash !== "") throw new TypeError("baseUrl must have no query and no fragment");
  const path = url.pathname.replace(/\/+$/, "");
  return { href: `${url.origin}${path}`, origin: url.origin, path };
}

/** The request's path and query as the engine expects them: the base URL's path swapped for the spec's. */
export function enginePath(url: URL, base: BaseUrl): string {
  const { pathname, search } = url;
  if (base.path !== API_BASE_PATH && url.origin === base.origin) {
    if (pathname === base.path || pathname.startsWith(`${base.path}/`)) {
      return `${API_BASE_PATH}${pathname.slice(base.path.length)}${search}`;
    }
  }
  return `${pathname}${search}`;
}

export async function toEngineRequest(request: Request, base: BaseUrl): Promise<EngineRequest> {
  const engineRequest: EngineRequest = {
    method: request.method,
    url: enginePath(new URL(request.url), base),
    headers: headerRecord(request.headers),
  };
  if (request.body !== null) engineRequest.body = new Uint8Array(await request.arrayBuffer());
  return engineRequest;
}

/** Header names in lower case, a repeated header joined with ", ": as `Headers` iterates them. */
export function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

const encoder = new TextEncoder();
/** Where a text is encoded only to count its bytes: no array made per answer for a text up to 21,845 characters. */
const scratch = new Uint8Array(64 * 1024);

/** The length of a text in UTF-8 (a lone surrogate counts three, as U+FFFD: what an encoder writes). */
function utf8Length(text: string): number {
  return text.length * 3 <= scratch.byteLength
    ? encoder.encodeInto(text, scratch).written
    : encoder.encode(text).byteLength;
}

/**
 * The rejection of a fetch whose answer is a dropped connection (an override's `networkError`): a
 * `TypeError`, as fetch rejects on a network failure, of its own class so that the MSW handlers tell it
 * from a failure of the transport.
 */
export class MockNetworkError extends TypeError {
  override name = "TypeError";
  constructor() {
    super("fetch failed: the mock closed the connection (an override's networkError)");
  }
}

/**
 * The engine's answer as a `Response`, with a Content-Length as the HTTP server sends (and clients read):
 * 0 for no body (a DELETE's 200). An answer with a body is a `LeanResponse` over the engine's own text or
 * bytes (lean-response.ts: read without a stream); one with none is a plain Response with a null body.
 */
export function toResponse(response: EngineResponse, method: string): Response {
  const { status, headers, body } = response;
  if (response.networkError) throw new MockNetworkError();
  if (NULL_BODY_STATUSES.has(status)) return new Response(null, { status, headers });
  const length = body === undefined ? 0 : typeof body === "string" ? utf8Length(body) : body.byteLength;
  // Set on the answer's own headers, not a copy, as the HTTP server does: content-length is the transport's.
  headers["content-length"] = String(length);
  // An empty body as none (`response.body` null), not as a stream that ends at once; a HEAD's answer has
  // none either, but says the length of the body a GET would get, as the HTTP server's does.
  if (body === undefined || length === 0 || method.toUpperCase() === "HEAD") {
    return new Response(null, { status, headers });
  }
  return new LeanResponse(body, { status, headers });
}

/**
 * The engine's answer to a request, as a `Response`. Rejects only as fetch does: when the signal aborts,
 * before or while the engine answers (a `Prefer: delay` waits); with no signal, nothing is listened for.
 */
export function answer(
  handle: HandleRequest,
  request: EngineRequest,
  signal: AbortSignal | null | undefined,
): Promise<Response> {
  const { method } = request;
  if (signal?.aborted) return Promise.reject(signal.reason);
  // The engine starts on a later tick, as a fetch sends its request: nothing it does (a change to the
  // store, an event told, a timer set) happens before the call to fetch returns.
  const answered = Promise.resolve(request).then(handle);
  if (!signal) return answered.then((response) => toResponse(response, method));
  return new Promise<Response>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    answered
      .then((response) => toResponse(response, method))
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", abort));
  });
}

/** Answers a `Request` from the engine; its body is read first, unless its signal has aborted already. */
export function answerRequest(handle: HandleRequest, request: Request, base: BaseUrl): Promise<Response> {
  const { signal } = request;
  if (signal.aborted) return Promise.reject(signal.reason);
  return toEngineRequest(request, base).then((engineRequest) => answer(handle, engineRequest, signal));
}
