/**
 * The mock as a `fetch`: `createMockFetch(options)` answers every request from one engine, in process,
 * with no socket. Hand it to the typed client (`createClient({ apiKey, fetch })`) or call it as the global
 * `fetch`. The store's changes are kept as the webhook bodies the spec describes (`events`), and told to
 * `onEvent`, so a test reads them with no HTTP receiver.
 *
 * No Node API: it runs in a browser too (the MSW handlers, msw.ts, are built on it).
 */
import { API_BASE_URL } from "../../generated/rules.ts";
import type { WebhookPayload } from "../../lib/webhooks.ts";
import { createEventLog, type EventLog } from "../engine/events.ts";
import { createEngine, type Engine, type EngineOptions } from "../engine/index.ts";
import type { Store } from "../store/store.ts";
import { engineRequestFromInit } from "./fetch-init.ts";
import { answer, answerRequest, parseBaseUrl } from "./web.ts";

export interface MockFetchOptions extends EngineOptions {
  /**
   * Where the public API is answered: the spec's server (`https://api.converseiq.com.au/public/v1`) by
   * default, so a client made with no `baseUrl` reaches the mock. Another path (`http://localhost/api`)
   * stands for `/public/v1`. The fetch answers requests to any origin; the admin API is at the origin's
   * `/__admin`.
   */
  baseUrl?: string;
  /** Told each webhook event (`{event, id, ts, data}`) as the change is made, before its request is answered. */
  onEvent?: (event: WebhookPayload) => void;
  /** How many of the latest events `events.list()` keeps (default 1000; 0 keeps none). */
  eventCapacity?: number;
}

export interface MockFetch {
  /** A standard fetch answered by the engine. A path (`/public/v1/contact`) is read against `baseUrl`'s origin. */
  fetch: typeof globalThis.fetch;
  /** The first accepted API key: `mock-api-key` unless `apiKeys` says otherwise. */
  apiKey: string;
  /** The base URL requests go to, without a trailing slash. */
  baseUrl: string;
  engine: Engine;
  /** The engine's store: the data and the rules, to set up or read state directly. */
  store: Store;
  /** The webhook events the store told, oldest first. */
  events: Pick<EventLog, "list" | "clear">;
  /**
   * Stops the events and any webhook sending (endpoints given in `webhooks`, or subscribed through
   * `/__admin/webhooks`), waiting for deliveries under way.
   */
  close(): Promise<void>;
}

export function createMockFetch(options: MockFetchOptions = {}): MockFetch {
  const { baseUrl = API_BASE_URL, onEvent, eventCapacity, ...engineOptions } = options;
  const base = parseBaseUrl(baseUrl);
  const engine = createEngine(engineOptions);
  const { store, webhooks } = engine;
  const { now, apiKeys } = engine.options;
  const events = createEventLog(store, {
    ...(now ? { now } : {}),
    ...(onEvent ? { onEvent } : {}),
    ...(eventCapacity !== undefined ? { capacity: eventCapacity } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  // The webhook sender subscribes to the store's changes outside the engine, as the HTTP server's does:
  // endpoints subscribed here get their POSTs too (through the global fetch).
  const stopSending = store.onChange(
    (change) => webhooks.publish(change),
    () => webhooks.subscriptions.size > 0,
  );

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

  return {
    fetch: fetch as typeof globalThis.fetch,
    apiKey: apiKeys[0] as string,
    baseUrl: base.href,
    engine,
    store,
    events: { list: () => events.list(), clear: () => events.clear() },
    close: async () => {
      events.close();
      stopSending();
      await webhooks.close();
    },
  };
}
