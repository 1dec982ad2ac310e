/**
 * Overrides through MSW in Node (`setupServer` with `createHandlers()`): the application's own fetch to the
 * live URL gets the overridden answer, a network error is MSW's (`HttpResponse.error()`: the fetch rejects),
 * and a scenario applies to every operation.
 */
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_BASE_URL } from "../../../generated/rules.ts";
import { createHandlers } from "../msw.ts";

const mock = createHandlers({ seed: { seed: 5, contacts: 4, chats: 1, team: 1, channels: 1, bots: 0 } });
const server = setupServer(...mock.handlers);
const origin = new URL(API_BASE_URL).origin;

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(async () => {
  server.close();
  await mock.close();
});
beforeEach(async () => {
  await fetch(`${origin}/__admin/reset`, { method: "POST", headers: { "content-type": "application/json" } });
});

const get = (path: string) => fetch(`${API_BASE_URL}${path}`, { headers: { "x-api-key": mock.apiKey } });

describe("overrides through MSW", () => {
  it("answers the override's status and the spec's body to the application's fetch", async () => {
    await mock.override("listTeamMembers", { status: 429, times: 1 });
    const limited = await get("/team");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).not.toBeNull();
    expect(await limited.json()).toMatchObject({ code: "rate_limited" });
    expect((await get("/team")).status).toBe(200);
  });

  it("answers a function override", async () => {
    await mock.override("getWorkspace", ({ request }) =>
      request.method === "GET" ? { status: 503 } : { status: 500 },
    );
    expect((await get("/workspace")).status).toBe(503);
  });

  it("turns networkError into MSW's network error: the fetch rejects with a TypeError", async () => {
    await mock.override("getWorkspace", { networkError: true });
    await expect(get("/workspace")).rejects.toBeInstanceOf(TypeError);
  });

  it("turns a scenario on for every operation, and a reset through MSW turns it off", async () => {
    await mock.scenario("outage");
    expect((await get("/contact")).status).toBe(503);
    await expect(
      fetch(`${API_BASE_URL}/contact`, {
        method: "POST",
        headers: { "x-api-key": mock.apiKey, "content-type": "application/json" },
        body: JSON.stringify({ name: "Lost" }),
      }),
    ).rejects.toBeInstanceOf(TypeError);

    await fetch(`${origin}/__admin/reset`, { method: "POST", headers: { "content-type": "application/json" } });
    expect((await get("/contact")).status).toBe(200);
  });
});
