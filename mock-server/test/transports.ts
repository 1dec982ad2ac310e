/**
 * The two doors to the mock that one suite goes through (`describe.each(TRANSPORTS)`): its HTTP server,
 * listening on 127.0.0.1 on a free port and reached with the global fetch, and its fetch adapter
 * (`createMockFetch`), in process. Each mock gives `inject` (the result shape `call` reads) over its fetch,
 * and its store, so a test reads the same whichever door it went through. `closeMocks()` after each test
 * stops what was started.
 *
 * What only a socket shows (bodies that stall, the drain of a huge body) is in bad-bodies-over-http.test.ts.
 */
import { maxHeaderSize } from "node:http";
import { Readable } from "node:stream";
import type { Inject, InjectOptions, InjectResponse } from "../app.ts";
import { buildMockServer } from "../app.ts";
import type { MockOptions } from "../mock-options.ts";
import type { SeedSizes } from "../store/seed.ts";
import type { Store } from "../store/store.ts";
import { createMockFetch } from "../transports/fetch.ts";
import { testOptions } from "./helpers.ts";

export interface MockUnderTest {
  inject: Inject;
  store: Store;
}

export interface TestTransport {
  /** How the suite names it: "the HTTP server", "the fetch adapter". */
  name: string;
  /** The longest request head (request line and headers, bytes) that reaches the mock, if there is a limit. */
  headLimit?: number;
  /** A fresh mock with the route tests' options (helpers.ts `testOptions`). */
  start(sizes?: Partial<SeedSizes>, options?: Partial<MockOptions>): Promise<MockUnderTest>;
}

const open: (() => Promise<void>)[] = [];

/** Stops every mock started since the last call (an `afterEach`). */
export async function closeMocks(): Promise<void> {
  await Promise.all(open.splice(0).map((close) => close()));
}

export const httpServer: TestTransport = {
  name: "the HTTP server",
  // Node's, which the server keeps: a longer head is refused by Node's parser before the engine, 431 with the Error body.
  headLimit: maxHeaderSize,
  async start(sizes, options) {
    const app = await buildMockServer(testOptions(sizes, options));
    open.push(() => app.close());
    const origin = await app.listen({ port: 0, host: "127.0.0.1" });
    return { inject: injectThrough(globalThis.fetch, origin), store: app.store };
  },
};

export const fetchAdapter: TestTransport = {
  name: "the fetch adapter",
  async start(sizes, options) {
    const mock = createMockFetch(testOptions(sizes, options));
    open.push(() => mock.close());
    return { inject: injectThrough(mock.fetch, new URL(mock.baseUrl).origin), store: mock.store };
  },
};

export const TRANSPORTS: TestTransport[] = [httpServer, fetchAdapter];

/** `inject` as a fetch to `origin`: the request as the mock's `inject` takes it, the answer as it gives it. */
export function injectThrough(fetch: typeof globalThis.fetch, origin: string): Inject {
  return async (given) => {
    const request: InjectOptions = typeof given === "string" ? { url: given } : given;
    if (request.query !== undefined) throw new Error("injectThrough: put the query in the url");
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    const { payload } = request;
    if (payload instanceof Readable) {
      throw new Error("injectThrough: a stream payload is for one transport only (bad-bodies-over-http.test.ts)");
    }
    let body: string | Uint8Array | undefined;
    if (typeof payload === "string" || payload instanceof Uint8Array) body = payload;
    else if (payload !== undefined) {
      body = JSON.stringify(payload);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${origin}${request.url ?? "/"}`, {
      method: request.method ?? "GET",
      headers,
      ...(body === undefined ? {} : { body: body as BodyInit }),
    });
    return injectResponse(response.status, response.headers, Buffer.from(await response.arrayBuffer()));
  };
}

function injectResponse(status: number, given: Headers, bytes: Buffer): InjectResponse {
  const headers: Record<string, string> = {};
  given.forEach((value, name) => {
    headers[name] = value;
  });
  const text = bytes.toString("utf8");
  return {
    statusCode: status,
    headers,
    body: text,
    payload: text,
    rawPayload: bytes,
    json: <T>() => JSON.parse(text) as T,
  };
}
