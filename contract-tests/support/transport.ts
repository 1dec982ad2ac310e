/**
 * How requests reach a target, as plain data: through a `fetch` (the global one over HTTP, or the mock's
 * fetch adapter in process), or through the mock's `inject()` (its engine, no socket, no web streams).
 * `toFetch` turns a transport back into a `fetch` for the typed client.
 */
import type { InjectOptions, MockServer } from "../../mock-server/app.ts";

export interface WireRequest {
  method: string;
  /** Absolute URL; in process only its path and query are used. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface WireResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body as text ("" when there is none). */
  text: string;
}

export type Transport = (request: WireRequest) => Promise<WireResponse>;
export type Fetch = (input: Request) => Promise<Response>;

export function injectTransport(app: Pick<MockServer, "inject">): Transport {
  return async (request) => {
    const url = new URL(request.url);
    const reply = await app.inject({
      method: request.method as InjectOptions["method"],
      url: `${url.pathname}${url.search}`,
      headers: request.headers,
      ...(request.body === undefined ? {} : { payload: request.body }),
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    }
    return { status: reply.statusCode, headers, text: reply.body };
  };
}

/** Any server over HTTP, through the global `fetch`. */
export const httpTransport = (timeoutMs = 30_000): Transport => fetchTransport(globalThis.fetch, timeoutMs);

/**
 * Requests through a `fetch`: the global one (over HTTP), or the mock's fetch adapter (`createMockFetch`,
 * in process, no socket), which is what the in-process target runs the suites through.
 */
export function fetchTransport(fetch: typeof globalThis.fetch, timeoutMs = 30_000): Transport {
  return async (request) => {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, text: await response.text() };
  };
}

/** Statuses whose responses have no body, which `new Response()` refuses to be given one. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** A `fetch` over a transport: what the typed client is given. */
export function toFetch(transport: Transport): Fetch {
  return async (request) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = request.body === null ? undefined : await request.text();
    const wire = await transport({
      method: request.method,
      url: request.url,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const noBody = NULL_BODY.has(wire.status) || request.method === "HEAD";
    return new Response(noBody ? null : wire.text, { status: wire.status, headers: wire.headers });
  };
}

/** The client's `fetch` routed into a Fastify app's `inject()`. */
export const injectFetch = (app: Pick<MockServer, "inject">): Fetch => toFetch(injectTransport(app));
