/**
 * The mock as MSW 2 request handlers: `createHandlers(options)` answers requests to the spec's server
 * (`https://api.converseiq.com.au/public/v1/...`, or `options.baseUrl`) and to the admin API at that
 * origin's `/__admin/...`, all from one stateful engine (the fetch adapter's, fetch.ts). Only `msw`'s core is
 * imported, so the same handlers serve `setupServer` (msw/node) and `setupWorker` (msw/browser).
 *
 * ```ts
 * const mock = createHandlers({ seed: { seed: 7 } });
 * const server = setupServer(...mock.handlers);
 * await mock.reset(); await mock.clock.set("2030-01-01"); // its MockControl, as startMock's (../control.ts)
 * ```
 *
 * `msw` is an optional peer dependency: only this file imports it.
 */
import { type HttpHandler, HttpResponse, http } from "msw";
import { ADMIN_PREFIX } from "../mock-options.ts";
import { createMockFetch, type MockFetch, type MockFetchOptions } from "./fetch.ts";
import { MockNetworkError } from "./web.ts";

export interface MockHandlers extends Omit<MockFetch, "fetch"> {
  /** The public API's handlers (the base URL and below it), then the admin API's: spread them into `setupServer` or `setupWorker`. */
  handlers: HttpHandler[];
  /** The engine as a fetch, for requests a test wants to make without MSW in between. */
  fetch: MockFetch["fetch"];
}

export function createHandlers(options: MockFetchOptions = {}): MockHandlers {
  const mock = createMockFetch(options, "createHandlers");
  const { origin } = new URL(mock.baseUrl);
  // MSW hands the resolver a Request of its own; the engine answers it as any other.
  // A dropped connection (an override's `networkError`) is MSW's network error: the page's fetch rejects.
  const resolver = ({ request }: { request: Request }) =>
    mock.fetch(request).then(withoutEmptyLength, (error: unknown) => {
      if (error instanceof MockNetworkError) return HttpResponse.error();
      throw error;
    });
  return {
    ...mock,
    handlers: [
      // The base URL itself too: the engine answers it (404), as the server would, rather than MSW.
      http.all(mock.baseUrl, resolver),
      http.all(`${mock.baseUrl}/*`, resolver),
      http.all(`${origin}${ADMIN_PREFIX}/*`, resolver),
    ],
  };
}

/**
 * An empty answer (a DELETE's 200) without its `content-length: 0`, as MSW's own empty responses are. In
 * a browser, a body that the page never reads stays open behind the service worker, and Chromium reports
 * its request as aborted: openapi-fetch, and so the typed client, reads no body whose length is 0, but
 * reads one of unknown length (and finds it empty).
 */
function withoutEmptyLength(response: Response): Response {
  if (response.headers.get("content-length") !== "0") return response;
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(null, { status: response.status, headers });
}
