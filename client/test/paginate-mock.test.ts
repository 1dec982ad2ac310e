/**
 * `paginate` against the mock, in process: the typed client's requests are handed to the mock's
 * `inject()` (contract-tests/support/transport.ts), so the pages walked are real answers of the API's
 * rules (bounds, `pages`, order), not the fake fetch's idea of them (paginate.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { injectFetch } from "../../contract-tests/support/transport.ts";
import { buildMockServer, type MockServer } from "../../mock-server/app.ts";
import { DEFAULT_API_KEY, PUBLIC_PREFIX } from "../../mock-server/mock-options.ts";
import { type ConverseIQClient, createClient } from "../index.ts";
import { PageError } from "../page-error.ts";
import { paginate } from "../paginate.ts";

let app: MockServer;
let client: ConverseIQClient;
/** The `page` and `limit` of every request the client sent, in order. */
const sent: { page: string | null; limit: string | null }[] = [];

beforeAll(async () => {
  app = await buildMockServer();
  const inject = injectFetch(app);
  client = createClient({
    apiKey: DEFAULT_API_KEY,
    baseUrl: `http://mock${PUBLIC_PREFIX}`,
    fetch: async (request: Request) => {
      const query = new URL(request.url).searchParams;
      sent.push({ page: query.get("page"), limit: query.get("limit") });
      return inject(request);
    },
  });
});

afterAll(async () => {
  await app.close();
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Runs `walk` and returns what it yielded, with the requests it sent. */
async function walked<T>(walk: () => AsyncIterable<T>): Promise<{ items: T[]; requests: typeof sent }> {
  sent.length = 0;
  const items = await collect(walk());
  return { items, requests: [...sent] };
}

/** The whole list in one answer (the seed has fewer than 100 of each), as the mock orders it. */
async function everyContact() {
  const { data } = await client.GET("/contact", { params: { query: { limit: 100 } } });
  if (!data) throw new Error("GET /contact failed");
  expect(data.total).toBeLessThanOrEqual(100);
  return data;
}

describe("paginate against the mock", () => {
  it.each([1, 7, 20, 100])(
    "walks every contact once, in the list's order, asking each of the ceil(total / %i) pages once",
    async (limit) => {
      const all = await everyContact();
      const { items, requests } = await walked(() => paginate(client, "/contact", { params: { query: { limit } } }));
      expect(items).toHaveLength(all.total);
      expect(items.map((c) => c.guid)).toEqual(all.data.map((c) => c.guid));
      const pages = Math.ceil(all.total / limit);
      expect(requests).toEqual(
        Array.from({ length: pages }, (_, i) => ({ page: String(i + 1), limit: String(limit) })),
      );
    },
  );

  it("walks with the API's default of 20 per page when no limit is given", async () => {
    const all = await everyContact();
    const { items, requests } = await walked(() => paginate(client, "/contact"));
    expect(items.map((c) => c.guid)).toEqual(all.data.map((c) => c.guid));
    expect(requests).toHaveLength(Math.ceil(all.total / 20));
  });

  it("walks a chat's messages, newest first, as many as the chat's total", async () => {
    const { data: chats } = await client.GET("/chat", { params: { query: { limit: 1 } } });
    const chatId = chats?.data[0]?.guid ?? "";
    const { data: whole } = await client.GET("/chat/{chatId}/message", {
      params: { path: { chatId }, query: { limit: 100 } },
    });
    const { items } = await walked(() =>
      paginate(client, "/chat/{chatId}/message", { params: { path: { chatId }, query: { limit: 2 } } }),
    );
    expect(items.length).toBe(whole?.total);
    expect(items.map((m) => m.guid)).toEqual(whole?.data.map((m) => m.guid));
    const times = items.map((m) => Date.parse(m.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("walks a search that finds nothing with one request and yields nothing", async () => {
    const { items, requests } = await walked(() =>
      paginate(client, "/contact/search", { params: { query: { email: "nobody@example.com" } } }),
    );
    expect(items).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it.each([0, 101])(
    "throws a PageError naming limit when limit is %i, outside 1 to 100, before yielding anything",
    async (limit) => {
      const items: unknown[] = [];
      const walk = async () => {
        for await (const item of paginate(client, "/contact", { params: { query: { limit } } })) items.push(item);
      };
      const error = await walk().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PageError);
      expect(error).toMatchObject({ status: 400, code: "invalid_request", page: 1, path: "/contact" });
      expect((error as PageError).details).toEqual([expect.objectContaining({ in: "query", field: "limit" })]);
      expect(items).toEqual([]);
    },
  );

  it("starts at the page given, yielding the rest of the list, and nothing from a page past the end", async () => {
    const all = await everyContact();
    const { items } = await walked(() => paginate(client, "/contact", { params: { query: { limit: 20, page: 2 } } }));
    expect(items.map((c) => c.guid)).toEqual(all.data.slice(20).map((c) => c.guid));
    const past = Math.ceil(all.total / 20) + 1;
    const { items: none, requests } = await walked(() =>
      paginate(client, "/contact", { params: { query: { limit: 20, page: past } } }),
    );
    expect(none).toEqual([]);
    expect(requests).toEqual([{ page: String(past), limit: "20" }]);
  });
});
