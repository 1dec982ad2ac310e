/**
 * The engine behind web-standard `Request` and `Response`: what the fetch adapter and the MSW handlers share.
 * No Node API, so that it runs in a browser's service worker page as well as in Node.
 */
import { API_BASE_PATH } from "../../generated/rules.ts";
import type { EngineRequest, EngineResponse, HandleRequest } from "../engine/types.ts";

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
  const headers: Record<string, string> = {};
  // Headers iterates names in lower case, a repeated header already joined with ", ".
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const engineRequest: EngineRequest = {
    method: request.method,
    url: enginePath(new URL(request.url), base),
    headers,
  };
  if (request.body !== null) engineRequest.body = new Uint8Array(await request.arrayBuffer());
  return engineRequest;
}

const encoder = new TextEncoder();

export function toResponse(response: EngineResponse, method: string): Response {
  if (NULL_BODY_STATUSES.has(response.status)) {
    return new Response(null, { status: response.status, headers: response.headers });
  }
  // Bytes, so that the length is known: a Content-Length as the HTTP server sends (and clients read), 0
  // for no body (a DELETE's 200).
  const body = response.body ?? "";
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const headers = { ...response.headers, "content-length": String(bytes.byteLength) };
  // An empty body as none (`response.body` null), not as a stream that ends at once; a HEAD's answer has
  // none either, but says the length of the body a GET would get, as the HTTP server's does.
  // TypeScript's DOM types take only ArrayBuffer-backed views as a body; the engine's are.
  const none = bytes.byteLength === 0 || method.toUpperCase() === "HEAD";
  const content = none ? null : (bytes as Uint8Array<ArrayBuffer>);
  return new Response(content, { status: response.status, headers });
}

/** Answers a `Request` from the engine; rejects only as fetch does, when the request's signal aborts. */
export async function answer(handle: HandleRequest, request: Request, base: BaseUrl): Promise<Response> {
  const { signal } = request;
  signal.throwIfAborted();
  const pending = toEngineRequest(request, base).then(handle);
  const response = await new Promise<EngineResponse>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
  return toResponse(response, request.method);
}
