/**
 * The mock as a `fetch`: `createMockFetch(options)` answers every request from one engine, in process,
 * with no socket. Hand it to the typed client (`createClient({ apiKey, fetch })`) or call it as the global
 * `fetch`. The store's changes are kept as the webhook bodies the spec describes (`events`), and told to
 * `onEvent`, so a test reads them with no HTTP receiver (`../in-process-mock.ts`, the mock without a socket).
 *
 * No Node API: it runs in a browser too (the MSW handlers, msw.ts, are built on it).
 */
import { createClient } from "../../client/index.ts";
import { API_BASE_URL } from "../../generated/rules.ts";
import { createControl, engineAdmin, type MockControl } from "../control.ts";
import { createInProcessMock, type InProcessMock, type InProcessOptions } from "../in-process-mock.ts";
import { checkOptionsInput, type ExtraChecks } from "../mock-options.ts";
import { engineRequestFromInit } from "./fetch-init.ts";
import { answer, answerRequest, parseBaseUrl } from "./web.ts";

export interface MockFetchOptions extends InProcessOptions {
  /**
   * Where the public API is answered: the spec's server (`https://api.converseiq.com.au/public/v1`) by
   * default, so a client made with no `baseUrl` reaches the mock. Another path (`http://localhost/api`)
   * stands for `/public/v1`. The fetch answers requests to any origin; the admin API is at the origin's
   * `/__admin`.
   */
  baseUrl?: string;
}

/** The mock as a fetch, with its `MockControl` (../control.ts), answered by the engine in process. */
/** The options of the in-process transports beside the shared ones, checked at run time. */
const FETCH_OPTIONS: ExtraChecks = {
  baseUrl: (value) => (typeof value === "string" ? undefined : "must be a URL (a string)"),
  onError: (value) => (typeof value === "function" ? undefined : "must be a function"),
};

export interface MockFetch extends InProcessMock, MockControl {
  /** A standard fetch answered by the engine. A path (`/public/v1/contact`) is read against `baseUrl`'s origin. */
  fetch: typeof globalThis.fetch;
  /** The base URL requests go to, without a trailing slash. */
  baseUrl: string;
}

export function createMockFetch(options: MockFetchOptions = {}, caller = "createMockFetch"): MockFetch {
  const { baseUrl = API_BASE_URL, ...mockOptions } = checkOptionsInput(caller, options, FETCH_OPTIONS);
  const base = parseBaseUrl(baseUrl);
  const mock = createInProcessMock(mockOptions);
  const { engine } = mock;

  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    try {
      // A URL with a body of text, bytes or none goes to the engine as it is; anything else through a
      // Request, as fetch reads it (fetch-init.ts says why).
      if (typeof input === "string" || input instanceof URL) {
        const request = engineRequestFromInit(input, init, base);
        if (request !== undefined) return answer(engine.handle, request, init?.signal);
      }
      const target = typeof input === "string" && input.startsWith("/") ? new URL(input, base.origin) : input;
      // A Request given alone is read as it is, as fetch reads it (its body is used up).
      const request = target instanceof Request && init === undefined ? target : new Request(target, init);
      return answerRequest(engine.handle, request, base);
    } catch (error) {
      // fetch never throws synchronously: a bad URL or init is a rejected promise.
      return Promise.reject(error);
    }
  };

  const typedFetch = fetch as typeof globalThis.fetch;
  // The control's calls go to the engine as any admin request (no socket), so they mean what they mean over HTTP.
  const control = createControl(
    engineAdmin(engine.handle, engine.options.adminToken),
    (apiKey) => createClient({ apiKey, baseUrl: base.href, fetch: typedFetch }),
    engine,
  );
  return { ...mock, ...control, fetch: typedFetch, baseUrl: base.href };
}
