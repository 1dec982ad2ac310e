import { describe, expect, it } from "vitest";
import spec from "../../generated/openapi.json" with { type: "json" };
import { createClient, DEFAULT_BASE_URL } from "../create-client.ts";
import { fakeFetch, json } from "./fake-fetch.ts";

const apiKey = "ciq_live_9f8e7d6c5b4a-secret";
const contactId = "5c9e7a2b-1d3f-4a6b-8c0d-2e4f6a8b0c1d";
const chatId = "0b7d3e9f-2a4c-4e6b-9d1f-3a5c7e9b1d2f";
const notFound = { code: "not_found", message: "No contact has this GUID." };

describe("createClient", () => {
  it("sends the API key in x-api-key on every request", async () => {
    const fake = fakeFetch(() => json({}));
    const client = createClient({ apiKey, fetch: fake.fetch });
    await client.GET("/workspace");
    await client.GET("/contact", { params: { query: { limit: 5 } } });
    await client.POST("/contact", { body: { email: "olivia@example.com" } });
    await client.PUT("/contact/{contactId}", { params: { path: { contactId } }, body: { name: null } });
    await client.DELETE("/chat/{chatId}", { params: { path: { chatId } } });
    await client.GET("/chat/{chatId}/message", { params: { path: { chatId } } });
    expect(fake.requests.map((r) => `${r.method} ${r.headers.get("x-api-key")}`)).toEqual([
      `GET ${apiKey}`,
      `GET ${apiKey}`,
      `POST ${apiKey}`,
      `PUT ${apiKey}`,
      `DELETE ${apiKey}`,
      `GET ${apiKey}`,
    ]);
  });

  it("sends the client's key even when one request sets another x-api-key", async () => {
    const fake = fakeFetch(() => json({}));
    const client = createClient({ apiKey, fetch: fake.fetch });
    await client.GET("/workspace", { headers: { "x-api-key": "another" } });
    expect(fake.requests[0]?.headers.get("x-api-key")).toBe(apiKey);
  });

  it("defaults baseUrl to the first server of the spec", async () => {
    expect(DEFAULT_BASE_URL).toBe(spec.servers[0]?.url);
    const fake = fakeFetch(() => json({}));
    await createClient({ apiKey, fetch: fake.fetch }).GET("/workspace/me");
    expect(fake.requests[0]?.url).toBe(`${spec.servers[0]?.url}/workspace/me`);
  });

  it("sends requests to the baseUrl given, with path parameters filled in", async () => {
    const fake = fakeFetch(() => json({}));
    const client = createClient({ apiKey, baseUrl: "http://localhost:4010/", fetch: fake.fetch });
    await client.GET("/contact/{contactId}", { params: { path: { contactId } } });
    expect(fake.requests[0]?.url).toBe(`http://localhost:4010/contact/${contactId}`);
  });

  it("passes other openapi-fetch options through, such as default headers", async () => {
    const fake = fakeFetch(() => json({}));
    const client = createClient({ apiKey, fetch: fake.fetch, headers: { "user-agent": "converseiq-kit-test" } });
    await client.GET("/team");
    expect(fake.requests[0]?.headers.get("user-agent")).toBe("converseiq-kit-test");
  });

  it("answers an error status with { error } holding the API's error body, and does not throw", async () => {
    const client = createClient({ apiKey, fetch: fakeFetch(() => json(notFound, 404)).fetch });
    const { data, error, response } = await client.GET("/contact/{contactId}", { params: { path: { contactId } } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toEqual(notFound);
  });

  it("answers a status the spec does not list (its default response) with { error } too", async () => {
    const body = { code: "internal_error", message: "Something broke on our side." };
    const client = createClient({ apiKey, fetch: fakeFetch(() => json(body, 500)).fetch });
    const { error } = await client.GET("/workspace");
    expect(error).toEqual(body);
  });

  it.each([
    { given: "an HTML page", status: 500, body: "<html>Server Error</html>", code: "internal_error" },
    { given: "a gateway's page", status: 502, body: "<html>Bad Gateway</html>", code: "upstream_unreachable" },
    { given: "an empty body", status: 401, body: "", code: "unauthorized" },
    { given: "plain text", status: 429, body: "slow down", code: "rate_limited" },
    { given: "JSON that is not an Error", status: 503, body: '{"oops":true}', code: "service_unavailable" },
    { given: "an unlisted 4xx", status: 418, body: "I'm a teapot", code: "invalid_request" },
  ])("turns $given in a $status answer into an API error with code $code", async ({ status, body, code }) => {
    const client = createClient({ apiKey, fetch: fakeFetch(() => new Response(body, { status })).fetch });
    const { error } = await client.GET("/workspace");
    expect(error?.code).toBe(code);
    expect(error?.message).toContain(String(status));
    if (body) expect(error?.message).toContain(body);
  });

  it("masks the API key when the server echoes it in an error body", async () => {
    const echo = { code: "unauthorized", message: `The key ${apiKey} is not valid.` };
    const client = createClient({ apiKey, fetch: fakeFetch(() => json(echo, 401)).fetch });
    const { error } = await client.GET("/workspace");
    expect(error?.message).toBe("The key [REDACTED] is not valid.");
  });

  it("masks the API key in an error that fetch throws", async () => {
    const client = createClient({
      apiKey,
      fetch: async (request) => {
        throw new TypeError(`fetch failed with headers ${JSON.stringify([...request.headers])}`, {
          cause: new Error(`socket closed, key ${apiKey}`),
        });
      },
    });
    const thrown = await client.GET("/workspace").catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).name).toBe("TypeError");
    expect((thrown as Error).message).toContain("[REDACTED]");
    expect(String((thrown as Error).stack)).not.toContain(apiKey);
    expect((thrown as Error).cause).toBeUndefined();
  });

  it.each([
    { given: "an empty key", key: "" },
    { given: "a key of spaces", key: "   " },
    { given: "a key with a line break", key: "ciq_line\nbreak" },
  ])("refuses $given without quoting it", ({ key }) => {
    expect(() => createClient({ apiKey: key })).toThrow(TypeError);
    try {
      createClient({ apiKey: key });
    } catch (error) {
      if (key.trim()) expect((error as Error).message).not.toContain(key);
    }
  });
});
