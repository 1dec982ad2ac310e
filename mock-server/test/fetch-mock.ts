/**
 * What the tests of overrides and scenarios share: in-process mocks (the fetch adapter, no socket) closed
 * after each test, and a request to one with its key, its answer read as text and JSON.
 */
import { afterEach } from "vitest";
import { createMockFetch, type MockFetch, type MockFetchOptions } from "../transports/fetch.ts";

const open: MockFetch[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((mock) => mock.close()));
});

/** A mock seeded with `seed` (the test's small data), closed after the test. */
export function startFetchMock(seed: MockFetchOptions["seed"], options: MockFetchOptions = {}): MockFetch {
  const mock = createMockFetch({ seed, ...options });
  open.push(mock);
  return mock;
}

/** `method path` (under the base URL) with the mock's key, and a JSON body when one is given. */
export async function call(mock: MockFetch, method: string, path: string, body?: unknown) {
  const response = await mock.fetch(`${mock.baseUrl}${path}`, {
    method,
    headers: { "x-api-key": mock.apiKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text === "" ? undefined : JSON.parse(text) };
}
