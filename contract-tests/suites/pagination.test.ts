/**
 * The reference's pagination, for every list operation: defaults, bounds, `pages = ceil(total / limit)`,
 * a walk over all pages that yields each item once, and an empty page past the end.
 */
import { describe, expect } from "vitest";
import { pagesAreCounted } from "../checks/rules.ts";
import { openTarget, type Target } from "../support/target.ts";
import { contractTest, need } from "../support/tests.ts";

const target = await openTarget("pagination");
const test = contractTest(target);

interface Envelope {
  data: { guid: string }[];
  page: number;
  limit: number;
  pages: number;
  total: number;
}

/** Every list operation, with how to find the path of one that needs an id. */
const lists: { name: string; path: (t: Target) => Promise<string | undefined>; query?: Record<string, string> }[] = [
  { name: "contacts", path: async () => "/contact" },
  { name: "chats", path: async () => "/chat" },
  { name: "team members", path: async () => "/team" },
  {
    name: "a chat's messages",
    path: async (t) => {
      const { data } = await t.client.GET("/chat", { params: { query: { limit: 1 } } });
      const chat = data?.data[0];
      return chat ? `/chat/${chat.guid}/message` : undefined;
    },
  },
  { name: "contact search results", path: async () => "/contact/search", query: { email: "nobody@example.com" } },
];

const page = async (path: string, query: Record<string, string | number>) => {
  const response = await target.request({ method: "GET", path, query });
  expect(response.status).toBe(200);
  return response.json as Envelope;
};

describe.each(lists)("the list of $name", ({ path: pathOf, query = {} }) => {
  test("defaults to page 1 with 20 items per page", [], async (ctx) => {
    const path = need(ctx, await pathOf(target), "the target has no chat to list messages of");
    const envelope = await page(path, query);
    expect(envelope.page).toBe(1);
    expect(envelope.limit).toBe(20);
    expect(envelope.data.length).toBe(Math.min(20, envelope.total));
  });

  for (const [param, value] of [
    ["page", "0"],
    ["page", "-1"],
    ["page", "1.5"],
    ["page", "abc"],
    ["page", ""],
    ["limit", "0"],
    ["limit", "101"],
    ["limit", "-1"],
    ["limit", "1.5"],
    ["limit", "abc"],
  ] as const) {
    test(`answers 400 naming ${param} when ${param} is "${value}"`, ["invalid"], async (ctx) => {
      const path = need(ctx, await pathOf(target), "the target has no chat to list messages of");
      const response = await target.request({ method: "GET", path, query: { ...query, [param]: value } });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ code: "invalid_request", details: [{ in: "query", field: param }] });
    });
  }

  test("accepts the bounds of limit, 1 and 100", [], async (ctx) => {
    const path = need(ctx, await pathOf(target), "the target has no chat to list messages of");
    for (const limit of [1, 100]) {
      const envelope = await page(path, { ...query, limit });
      expect(envelope.limit).toBe(limit);
      expect(envelope.data.length).toBe(Math.min(limit, envelope.total));
    }
  });

  test("counts pages as ceil(total / limit)", [], async (ctx) => {
    await pagesAreCounted(target, need(ctx, await pathOf(target), "the target has no chat to list messages of"), query);
  });

  test("yields each item exactly once when every page is walked", [], async (ctx) => {
    const path = need(ctx, await pathOf(target), "the target has no chat to list messages of");
    const first = await page(path, { ...query, limit: 7 });
    const limit = first.total > 200 ? 100 : 7;
    const pages = Math.ceil(first.total / limit);
    need(ctx, pages <= 30 ? true : undefined, `${first.total} items are too many to walk in a contract test`);
    const seen: string[] = [];
    for (let n = 1; n <= pages; n++) {
      const envelope = await page(path, { ...query, page: n, limit });
      expect(envelope.total).toBe(first.total);
      expect(envelope.data.length).toBe(n < pages ? limit : first.total - limit * (pages - 1));
      seen.push(...envelope.data.map((item) => item.guid));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(first.total);
  });

  test("answers a page past the end with empty data and the same totals", [], async (ctx) => {
    const path = need(ctx, await pathOf(target), "the target has no chat to list messages of");
    const first = await page(path, { ...query, limit: 5 });
    const past = await page(path, { ...query, limit: 5, page: first.pages + 1 });
    expect(past).toMatchObject({ data: [], page: first.pages + 1, limit: 5, pages: first.pages, total: first.total });
  });
});
