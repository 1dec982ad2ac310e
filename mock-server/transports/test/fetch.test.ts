/**
 * The fetch adapter as a fetch: what it takes (URLs, paths, Requests, bodies, signals), what it answers
 * (standard Responses with a length), where the events go, and that the typed client runs on it. The
 * API's rules are the engine's, tested through both transports by the suites; here only the adapter.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../../../client/index.ts";
import { API_BASE_URL } from "../../../generated/rules.ts";
import type { WebhookPayload } from "../../../lib/webhooks.ts";
import { ManualScheduler } from "../../scheduler.ts";
import { DEFAULT_SEED } from "../../store/seed.ts";
import { startReceiver } from "../../test/webhooks-support.ts";
import { createMockFetch, type MockFetch } from "../fetch.ts";

const SMALL = { ...DEFAULT_SEED, contacts: 3, chats: 2 };
const opened: MockFetch[] = [];
function mockFetch(options: Parameters<typeof createMockFetch>[0] = {}): MockFetch {
  const mock = createMockFetch({ seed: SMALL, ...options });
  opened.push(mock);
  return mock;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((mock) => mock.close()));
});

describe("createMockFetch", () => {
  it("answers the typed client, made with no baseUrl, from one stateful engine", async () => {
    const mock = mockFetch();
    expect(mock.baseUrl).toBe(API_BASE_URL);
    const client = createClient({ apiKey: mock.apiKey, fetch: mock.fetch });
    const created = await client.POST("/contact", { body: { email: "kim@example.com" } });
    expect(created.response.status).toBe(200);
    const found = await client.GET("/contact/search", { params: { query: { email: "KIM@example.com" } } });
    expect(found.data?.data.map((c) => c.guid)).toEqual([created.data?.guid]);
    expect(mock.store.getContact(created.data?.guid ?? "").email).toBe("kim@example.com");
  });

  it.each([
    ["a URL string", (base: string) => `${base}/workspace`],
    ["a URL object", (base: string) => new URL(`${base}/workspace`)],
    ["a Request", (base: string) => new Request(`${base}/workspace`, { headers: { "X-Api-Key": "mock-api-key" } })],
    ["a path, read against the base URL's origin", () => "/public/v1/workspace"],
  ] as const)("takes %s as fetch does", async (_, input) => {
    const mock = mockFetch();
    const target: string | URL | Request = input(mock.baseUrl);
    const init = target instanceof Request ? undefined : { headers: { "X-API-KEY": mock.apiKey } };
    const response = await mock.fetch(target, init);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ guid: mock.store.getWorkspace().guid });
  });

  it("serves the API under a base URL of another path as under /public/v1, and the admin API at its origin", async () => {
    const mock = mockFetch({ baseUrl: "http://localhost:3000/api/" });
    expect(mock.baseUrl).toBe("http://localhost:3000/api");
    const headers = { "x-api-key": mock.apiKey };
    expect((await mock.fetch("http://localhost:3000/api/contact?limit=1", { headers })).status).toBe(200);
    expect((await mock.fetch("http://localhost:3000/__admin/fixtures")).status).toBe(200);
    // The spec's own path still answers (the engine's), so a client given the live URL works too.
    expect((await mock.fetch(`${API_BASE_URL}/contact?limit=1`, { headers })).status).toBe(200);
  });

  it("refuses a base URL that is not an absolute URL, naming the option", () => {
    expect(() => createMockFetch({ baseUrl: "/public/v1" })).toThrow(/baseUrl must be an absolute URL/);
  });

  it("reads a body given as text or as bytes", async () => {
    const mock = mockFetch();
    const headers = { "x-api-key": mock.apiKey, "content-type": "application/json" };
    const bytes = new TextEncoder().encode(JSON.stringify({ email: "bytes@example.com" }));
    for (const body of [JSON.stringify({ email: "text@example.com" }), bytes]) {
      expect((await mock.fetch("/public/v1/contact", { method: "POST", headers, body })).status).toBe(200);
    }
    expect(mock.store.listContacts({ page: 1, limit: 100 }).total).toBe(SMALL.contacts + 2);
  });

  it("answers with a Content-Length, 0 and no body for a DELETE", async () => {
    const mock = mockFetch();
    const headers = { "x-api-key": mock.apiKey };
    const list = await mock.fetch("/public/v1/contact?limit=1", { headers });
    const text = await list.text();
    expect(list.headers.get("content-length")).toBe(String(new TextEncoder().encode(text).byteLength));
    const [first] = (JSON.parse(text) as { data: { guid: string }[] }).data;
    const deleted = await mock.fetch(`/public/v1/contact/${first?.guid}`, { method: "DELETE", headers });
    expect(deleted.status).toBe(200);
    expect(deleted.headers.get("content-length")).toBe("0");
    expect(deleted.body).toBeNull();
  });

  it("answers a CORS preflight 204 with no body", async () => {
    const mock = mockFetch();
    const response = await mock.fetch("/public/v1/contact", {
      method: "OPTIONS",
      headers: { origin: "http://app.example", "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect(response.headers.get("access-control-allow-origin")).toBeTruthy();
  });

  it("changes nothing before the call returns: the engine answers on a later tick, as a fetch is sent", async () => {
    const told: WebhookPayload[] = [];
    const mock = mockFetch({ onEvent: (event) => told.push(event) });
    const pending = mock.fetch("/public/v1/contact", {
      method: "POST",
      headers: { "x-api-key": mock.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ email: "later@example.com" }),
    });
    expect(told).toEqual([]);
    expect((await pending).status).toBe(200);
    expect(told.map((e) => e.event)).toEqual(["contact.created"]);
  });

  it("answers with Responses that code written for fetch reads: instanceof Response, a body read once", async () => {
    const mock = mockFetch();
    const response = await mock.fetch("/public/v1/workspace", { headers: { "x-api-key": mock.apiKey } });
    expect(response).toBeInstanceOf(Response);
    expect(response.ok).toBe(true);
    const copy = response.clone();
    expect(await response.json()).toMatchObject({ guid: mock.store.getWorkspace().guid });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toBeInstanceOf(TypeError);
    expect(JSON.parse(new TextDecoder().decode(await new Response(copy.body).arrayBuffer()))).toMatchObject({
      guid: mock.store.getWorkspace().guid,
    });
  });

  it("rejects, never throws, as fetch does: an aborted signal, a URL it cannot read", async () => {
    const mock = mockFetch();
    const aborted = mock.fetch("/public/v1/workspace", { signal: AbortSignal.abort() });
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    await expect(mock.fetch("http://[bad")).rejects.toBeInstanceOf(TypeError);
  });

  it("is stopped by a signal aborted while the engine waits (Prefer: delay)", async () => {
    const scheduler = new ManualScheduler();
    const mock = mockFetch({ scheduler });
    const controller = new AbortController();
    const pending = mock.fetch("/public/v1/workspace", {
      headers: { "x-api-key": mock.apiKey, prefer: "delay=5000" },
      signal: controller.signal,
    });
    expect(await scheduler.nextTimer()).toBe(5000);
    controller.abort(new Error("gave up"));
    await expect(pending).rejects.toThrow("gave up");
    // The engine's own answer, when the delay ends, goes nowhere.
    scheduler.advance(5000);
  });

  it("tells each change to onEvent and keeps it in events, in the spec's envelope, until reset or closed", async () => {
    const told: WebhookPayload[] = [];
    const mock = mockFetch({ onEvent: (event) => told.push(event) });
    const headers = { "x-api-key": mock.apiKey, "content-type": "application/json" };
    const post = () =>
      mock.fetch("/public/v1/contact", { method: "POST", headers, body: JSON.stringify({ name: "Events" }) });
    await post();
    expect(told.map((e) => e.event)).toEqual(["contact.created"]);
    expect(await mock.events()).toEqual(told);
    expect(Object.keys(told[0] ?? {})).toEqual(["event", "id", "ts", "data"]);
    await mock.reset();
    expect(await mock.events()).toEqual([]);
    await mock.close();
    await post();
    expect(told).toHaveLength(1);
    expect(await mock.events()).toEqual([]);
  });

  it("sends the store's changes to endpoints subscribed through the admin API", async () => {
    const receiver = await startReceiver();
    try {
      const mock = mockFetch();
      const subscribe = await mock.fetch("/__admin/webhooks", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: receiver.url, events: ["contact.created"] }),
      });
      expect(subscribe.status).toBe(200);
      await mock.fetch("/public/v1/contact", {
        method: "POST",
        headers: { "x-api-key": mock.apiKey, "content-type": "application/json" },
        body: JSON.stringify({ email: "hook@example.com" }),
      });
      const [received] = await receiver.waitFor(1);
      expect(received?.body).toMatchObject({
        event: "contact.created",
        data: { contact: { email: "hook@example.com" } },
      });
    } finally {
      await receiver.close();
    }
  });
});
