import { describe, expect, it } from "vitest";
import { createClient } from "../create-client.ts";
import { PageError } from "../page-error.ts";
import { paginate } from "../paginate.ts";
import { fakeFetch, json, listOf } from "./fake-fetch.ts";

const apiKey = "ciq_live_9f8e7d6c5b4a-secret";
const chatId = "0b7d3e9f-2a4c-4e6b-9d1f-3a5c7e9b1d2f";
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ guid: `item-${i + 1}` }));

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** The `page` query parameter of every request a fake received. */
const pagesAsked = (requests: Request[]) => requests.map((r) => new URL(r.url).searchParams.get("page"));

describe("paginate", () => {
  it.each([
    { total: 0, limit: 10, pages: ["1"] },
    { total: 1, limit: 10, pages: ["1"] },
    { total: 10, limit: 10, pages: ["1"] },
    { total: 11, limit: 10, pages: ["1", "2"] },
    { total: 25, limit: 10, pages: ["1", "2", "3"] },
  ])(
    "yields all $total items in order, asking pages $pages once each (limit $limit)",
    async ({ total, limit, pages }) => {
      const all = items(total);
      const fake = fakeFetch(listOf(all));
      const client = createClient({ apiKey, fetch: fake.fetch });
      const got = await collect(paginate(client, "/contact", { params: { query: { limit } } }));
      expect(got).toEqual(all);
      expect(pagesAsked(fake.requests)).toEqual(pages);
      expect(fake.requests.every((r) => new URL(r.url).searchParams.get("limit") === String(limit))).toBe(true);
    },
  );

  it("stops at the answer's pages, never asking the empty page past the end", async () => {
    const fake = fakeFetch(listOf(items(40)));
    const client = createClient({ apiKey, fetch: fake.fetch });
    await collect(paginate(client, "/team"));
    expect(pagesAsked(fake.requests)).toEqual(["1", "2"]);
  });

  it("starts at the page given and keeps the other query parameters", async () => {
    const fake = fakeFetch(listOf(items(30)));
    const client = createClient({ apiKey, fetch: fake.fetch });
    const got = await collect(
      paginate(client, "/contact/search", { params: { query: { email: "a@b.co", limit: 10, page: 2 } } }),
    );
    expect(got.map((c) => c.guid)).toEqual(
      items(30)
        .slice(10)
        .map((c) => c.guid),
    );
    expect(pagesAsked(fake.requests)).toEqual(["2", "3"]);
    expect(new URL(fake.requests[0]?.url ?? "").searchParams.get("email")).toBe("a@b.co");
  });

  it("fills in path parameters of a nested list, on every page", async () => {
    const fake = fakeFetch(listOf(items(3)));
    const client = createClient({ apiKey, baseUrl: "http://mock.test", fetch: fake.fetch });
    await collect(paginate(client, "/chat/{chatId}/message", { params: { path: { chatId }, query: { limit: 2 } } }));
    expect(fake.requests.map((r) => new URL(r.url).pathname)).toEqual([
      `/chat/${chatId}/message`,
      `/chat/${chatId}/message`,
    ]);
  });

  it("ends on an empty page even if the answer's pages says there are more", async () => {
    const fake = fakeFetch(() => json({ data: [], page: 1, limit: 20, pages: 5, total: 100 }));
    const client = createClient({ apiKey, fetch: fake.fetch });
    expect(await collect(paginate(client, "/chat"))).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it("throws a PageError with status, code and message after yielding the pages before the failure", async () => {
    const list = listOf(items(25));
    const fake = fakeFetch((request) =>
      new URL(request.url).searchParams.get("page") === "2"
        ? json({ code: "rate_limited", message: "Too many requests; retry after 30 seconds." }, 429)
        : list(request),
    );
    const client = createClient({ apiKey, fetch: fake.fetch });
    const got: unknown[] = [];
    const thrown = await (async () => {
      for await (const item of paginate(client, "/contact", { params: { query: { limit: 10 } } })) got.push(item);
    })().catch((error: unknown) => error);
    expect(got).toHaveLength(10);
    expect(thrown).toBeInstanceOf(PageError);
    expect(thrown).toMatchObject({ status: 429, code: "rate_limited", path: "/contact", page: 2 });
    expect((thrown as PageError).message).toBe(
      'Failed to list "GET /contact" (page 2): 429 rate_limited: Too many requests; retry after 30 seconds.',
    );
  });

  it("never puts the API key in the thrown error, even when the server echoes it", async () => {
    const echo = { code: "unauthorized", message: `Invalid key "${apiKey}" in x-api-key.` };
    const client = createClient({ apiKey, fetch: fakeFetch(() => json(echo, 401)).fetch });
    const thrown = await collect(paginate(client, "/team")).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(PageError);
    expect((thrown as Error).message).toContain("401 unauthorized");
    expect((thrown as Error).message).not.toContain(apiKey);
    expect(String((thrown as Error).stack)).not.toContain(apiKey);
  });
});
