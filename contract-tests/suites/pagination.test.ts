/**
 * The reference's pagination, for every list operation of the spec (support/lists.ts: each GET answering the
 * page envelope): defaults, bounds, `pages = ceil(total / limit)`, a walk over all pages that yields each item
 * once, and an empty page past the end. The lists are derived from the spec, so a new one is tested as soon
 * as its parameters can be filled (`fillers`); one that cannot be fails the first test, naming the parameter.
 */
import { describe, expect, it, type TestContext } from "vitest";
import type { Page } from "../../generated/rules.ts";
import type { Operation } from "../../lib/spec.ts";
import { pagesAreCounted } from "../checks/rules.ts";
import { listOperationsOf, parametersToFill } from "../support/lists.ts";
import { openTarget, type Target } from "../support/target.ts";
import { contractTest, need } from "../support/tests.ts";

const target = await openTarget("pagination");
const test = contractTest(target);

type Envelope = Page<{ guid: string }>;

/** A value, found on the target, for each parameter a list needs besides page and limit, by its name. */
const fillers: Record<string, (t: Target) => Promise<string | undefined>> = {
  chatId: async (t) => (await t.client.GET("/chat", { params: { query: { limit: 1 } } })).data?.data[0]?.guid,
  // A search that finds nobody; what the search finds is the contacts suite's concern.
  email: async () => "nobody@example.com",
};

const lists = listOperationsOf().map((op) => [`${op.id} (GET ${op.path})`, op] as const);

/** The list's path with its parameters filled, and its required query; undefined when the target lacks a value. */
async function requestOf(op: Operation): Promise<{ path: string; query: Record<string, string> } | undefined> {
  let path = op.path;
  const query: Record<string, string> = {};
  for (const param of parametersToFill(op)) {
    const fill = fillers[param.name];
    if (!fill) throw new Error(`no way to fill ${param.in} parameter ${param.name} of ${op.id}: add it to fillers`);
    const value = await fill(target);
    if (value === undefined) return undefined;
    if (param.in === "path") path = path.replace(`{${param.name}}`, encodeURIComponent(value));
    else query[param.name] = value;
  }
  return { path, query };
}

it("finds the spec's list operations, and can fill every parameter each needs besides page and limit", () => {
  expect(lists.length).toBeGreaterThan(0);
  const unfilled = listOperationsOf().flatMap((op) =>
    parametersToFill(op)
      .filter((p) => !(p.name in fillers))
      .map((p) => `${op.id}: ${p.in} ${p.name}`),
  );
  expect(unfilled).toEqual([]);
});

const page = async (path: string, query: Record<string, string | number>) => {
  const response = await target.request({ method: "GET", path, query });
  expect(response.status).toBe(200);
  return response.json as Envelope;
};

describe.each(lists)("%s", (_, op) => {
  /** The list's path and query on this target, or a loud skip when the target has nothing to fill them with. */
  const listed = async (ctx: TestContext) =>
    need(ctx, await requestOf(op), `the target has no value for a parameter of ${op.id}`);

  test("defaults to page 1 with 20 items per page", [], async (ctx) => {
    const { path, query } = await listed(ctx);
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
      const { path, query } = await listed(ctx);
      const response = await target.request({ method: "GET", path, query: { ...query, [param]: value } });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ code: "invalid_request", details: [{ in: "query", field: param }] });
    });
  }

  test("accepts the bounds of limit, 1 and 100", [], async (ctx) => {
    const { path, query } = await listed(ctx);
    for (const limit of [1, 100]) {
      const envelope = await page(path, { ...query, limit });
      expect(envelope.limit).toBe(limit);
      expect(envelope.data.length).toBe(Math.min(limit, envelope.total));
    }
  });

  test("pagination: pages = ceil(total / limit)", [], async (ctx) => {
    const { path, query } = await listed(ctx);
    await pagesAreCounted(target, path, query);
  });

  test("yields each item exactly once when every page is walked", [], async (ctx) => {
    const { path, query } = await listed(ctx);
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
    const { path, query } = await listed(ctx);
    const first = await page(path, { ...query, limit: 5 });
    const past = await page(path, { ...query, limit: 5, page: first.pages + 1 });
    expect(past).toMatchObject({ data: [], page: first.pages + 1, limit: 5, pages: first.pages, total: first.total });
  });
});
