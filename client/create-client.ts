/**
 * The typed client of the ConverseIQ API: openapi-fetch over the generated `paths`, with the API key
 * sent on every request and error bodies made to match the spec's `Error`.
 * Every call answers `{ data, response }` or `{ error, response }`; HTTP errors are never thrown.
 */
import createFetchClient, { type ClientOptions } from "openapi-fetch";
import { API_BASE_URL } from "../generated/rules.ts";
import type { paths } from "../generated/types.ts";
import type { ConverseIQClient } from "./client-type.ts";
import { API_KEY_HEADER, apiKeyMiddleware, errorBodyMiddleware } from "./middleware.ts";
import { createRedactor } from "./redact.ts";

export type { ConverseIQClient } from "./client-type.ts";

export interface CreateClientOptions extends ClientOptions {
  /** The workspace's API key, sent as `x-api-key`. Never written to logs or error messages. */
  apiKey: string;
  /** Root URL of the API; defaults to the spec's first server (the live API). */
  baseUrl?: string;
  /** A fetch to send requests with, e.g. the mock's in-process fetch (`createMockFetch`) in tests. */
  fetch?: NonNullable<ClientOptions["fetch"]>;
}

/**
 * The spec's first server: the live API. Generated from the spec, so it cannot drift from it; a constant,
 * so the client does not load the whole bundled spec to read one URL.
 */
export const DEFAULT_BASE_URL: string = API_BASE_URL;

export function createClient(options: CreateClientOptions): ConverseIQClient {
  const { apiKey, baseUrl = DEFAULT_BASE_URL, ...rest } = options;
  assertUsableKey(apiKey);
  const redactor = createRedactor(apiKey);
  const client = createFetchClient<paths>({ ...rest, baseUrl });
  // Middleware a caller adds later with client.use() runs after these on requests (it sees the key
  // header) and before them on responses (it sees raw error bodies): it must not log either.
  client.use(apiKeyMiddleware(apiKey, redactor), errorBodyMiddleware(redactor));
  // Same object, stricter parameter types: see client-type.ts.
  return client as unknown as ConverseIQClient;
}

/** Refuses a key that could not be sent; the error names the problem, never the key itself. */
function assertUsableKey(apiKey: unknown): asserts apiKey is string {
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new TypeError("createClient: `apiKey` must be a non-empty string");
  }
  try {
    new Headers().set(API_KEY_HEADER, apiKey);
  } catch {
    // The Headers error quotes the value, so it is not passed on.
    throw new TypeError("createClient: `apiKey` holds characters an HTTP header cannot carry");
  }
}
