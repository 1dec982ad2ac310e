/**
 * The reference's pagination rule on every list operation, with the bounds and defaults read from the
 * spec's `page` and `limit` parameters (not typed again here).
 */
import type { oas31 } from "openapi3-ts";
import { describe, expect, it } from "vitest";
import type { Page as ApiPage } from "../../generated/rules.ts";
import { publicSpec, resolve } from "../../lib/spec.ts";
import type { MockServer } from "../app.ts";
import { call, errorOf, type Fixture, fixtureOf, operations, startMock } from "./helpers.ts";

const paged = operations.filter((op) => op.parameters.some((p) => p.in === "query" && p.name === "page"));
const schemaOf = (name: string) => {
  const param = paged[0]?.parameters.find((p) => p.name === name);
  return resolve<oas31.SchemaObject>(publicSpec, param?.schema ?? {});
};
const PAGE = schemaOf("page");
const LIMIT = schemaOf("limit");
const MAX_LIMIT = LIMIT.maximum as number;
const DEFAULT_LIMIT = LIMIT.default as number;
const FIRST_PAGE = PAGE.default as number;

type Page = ApiPage<{ guid: string }>;

/** The path of each list operation on the seeded data, without its page and limit. */
function listPath(id: string, f: Fixture): string {
  const paths: Record<string, string> = {
    listContacts: "/contact?",
    searchContacts: `/contact/search?email=${encodeURIComponent(f.contact.email)}&`,
    listChats: "/chat?",
    listChatMessages: `/chat/${f.chat}/message?`,
    listTeamMembers: "/team?",
  };
  const path = paths[id];
  if (!path) throw new Error(`no list path for ${id}: add it here`);
  return path;
}

async function page(app: MockServer, id: string, query: string): Promise<Page> {
  const answer = await call<Page>(app, { path: `${listPath(id, fixtureOf(app))}${query}` });
  expect(answer.status).toBe(200);
  return answer.body;
}

describe("the spec's pagination parameters", () => {
  it("are on the five list operations, and match the reference (page from 1; limit 1..100, default 20)", () => {
    expect(paged.map((op) => op.id).sort()).toEqual(
      ["listChatMessages", "listChats", "listContacts", "listTeamMembers", "searchContacts"].sort(),
    );
    expect([PAGE.minimum, FIRST_PAGE]).toEqual([1, 1]);
    expect([LIMIT.minimum, MAX_LIMIT, DEFAULT_LIMIT]).toEqual([1, 100, 20]);
  });
});

const badValues: [param: string, value: string][] = [
  ["page", String((PAGE.minimum as number) - 1)],
  ["page", "-1"],
  ["page", "1.5"],
  ["page", "abc"],
  ["page", ""],
  ["limit", String((LIMIT.minimum as number) - 1)],
  ["limit", String(MAX_LIMIT + 1)],
  ["limit", "-1"],
  ["limit", "1.5"],
  ["limit", "abc"],
  ["limit", ""],
  // Not integers as a query string writes them, though JavaScript's Number() reads each as one.
  ["page", "Infinity"],
  ["limit", "Infinity"],
  ["limit", "-Infinity"],
  ["limit", "0x10"],
  ["limit", "1e1"],
  ["limit", "0b11"],
  ["limit", " 5"],
  ["page", "+1"],
  ["page", "1.0"],
];

describe("every list operation", () => {
  it.each(badValues)("answers %s=%j with 400 naming the parameter", async (param, value) => {
    const app = await startMock();
    for (const { id } of paged) {
      const answer = await call(app, { path: `${listPath(id, fixtureOf(app))}${param}=${encodeURIComponent(value)}` });
      expect(answer.status, id).toBe(400);
      expect(errorOf(answer), id).toMatchObject({ code: "invalid_request", details: [{ in: "query", field: param }] });
      expect(errorOf(answer).message, id).toContain(param);
    }
  });
});

describe("a list request with several bad parameters", () => {
  it("names every one of them", async () => {
    const app = await startMock();
    const answer = await call(app, { path: "/contact?limit=0x10&page=abc&sort[]=name" });
    expect(answer.status).toBe(400);
    expect(
      errorOf(answer)
        .details?.map((d) => d.field)
        .sort(),
    ).toEqual(["limit", "page", "sort[]"]);
  });
});

describe.each(paged.map((op) => [op.id]))("%s", (id) => {
  it("defaults to the first page and the spec's default limit", async () => {
    const app = await startMock({ contacts: 45, chats: 25, team: 22 });
    const first = await page(app, id, "");
    expect(first).toMatchObject({ page: FIRST_PAGE, limit: DEFAULT_LIMIT });
    expect(first.data).toHaveLength(Math.min(first.total, DEFAULT_LIMIT));
  });

  it("accepts the smallest and the largest limit", async () => {
    const app = await startMock();
    expect((await page(app, id, "limit=1")).data.length).toBeLessThanOrEqual(1);
    expect((await page(app, id, `limit=${MAX_LIMIT}`)).limit).toBe(MAX_LIMIT);
  });

  it("answers a page past the end with 200 and empty data", async () => {
    const app = await startMock();
    const { pages, total } = await page(app, id, "limit=3");
    for (const past of [pages + 1, 1_000_000]) {
      expect(await page(app, id, `limit=3&page=${past}`)).toEqual({ data: [], page: past, limit: 3, pages, total });
    }
  });
});

describe("paging through a list", () => {
  it.each(["listContacts", "listChats", "listTeamMembers", "listChatMessages"])(
    "%s: pages = ceil(total / limit), and the pages hold every item once, in a stable order",
    async (id) => {
      const app = await startMock({ contacts: 45, chats: 25, team: 22 });
      const all = await page(app, id, `limit=${MAX_LIMIT}`);
      for (const limit of [1, 7, DEFAULT_LIMIT]) {
        const first = await page(app, id, `limit=${limit}`);
        expect(first.pages).toBe(Math.ceil(first.total / limit));
        const seen: string[] = [];
        for (let n = 1; n <= first.pages; n++) {
          const next = await page(app, id, `limit=${limit}&page=${n}`);
          expect(next.data.length).toBe(n < first.pages ? limit : first.total - limit * (first.pages - 1));
          seen.push(...next.data.map((item) => item.guid));
        }
        expect(seen).toEqual(all.data.map((item) => item.guid));
      }
    },
  );

  it("counts a list of 45 contacts as the reference does: limit 10 gives 5 pages, the last of 5", async () => {
    const app = await startMock({ contacts: 45 });
    expect(await page(app, "listContacts", "page=5&limit=10")).toMatchObject({
      page: 5,
      limit: 10,
      pages: 5,
      total: 45,
    });
    expect((await page(app, "listContacts", "page=5&limit=10")).data).toHaveLength(5);
  });

  it("lists contacts in creation order: a new contact is last", async () => {
    const app = await startMock();
    const created = await call<{ guid: string }>(app, { method: "POST", path: "/contact", json: { name: "Zed" } });
    const { pages, total } = await page(app, "listContacts", "limit=5");
    const last = await page(app, "listContacts", `limit=5&page=${pages}`);
    expect(total).toBe(fixtureOf(app).state.contacts.length);
    expect(last.data.at(-1)?.guid).toBe(created.body.guid);
  });

  it("lists a chat's messages newest first", async () => {
    const app = await startMock();
    const f = fixtureOf(app);
    const path = `/chat/${f.chat}/message`;
    const sent = await call<{ guid: string }>(app, {
      method: "POST",
      path,
      json: { message: "newest", agent: f.agent },
    });
    const messages = await page(app, "listChatMessages", `limit=${MAX_LIMIT}`);
    expect(messages.data[0]?.guid).toBe(sent.body.guid);
    const times = (messages.data as unknown as { created_at: string }[]).map((m) => m.created_at);
    expect(times).toEqual([...times].sort().reverse());
  });

  it("keeps the page stable when items before it are deleted: the later ones move up", async () => {
    const app = await startMock();
    const before = await page(app, "listContacts", "limit=3&page=2");
    const first = (await page(app, "listContacts", "limit=3")).data[0]?.guid;
    await call(app, { method: "DELETE", path: `/contact/${first}` });
    const after = await page(app, "listContacts", "limit=3&page=2");
    expect(after.total).toBe(before.total - 1);
    expect(after.data.map((c) => c.guid).slice(0, 2)).toEqual(before.data.map((c) => c.guid).slice(1));
  });
});

describe("searching contacts", () => {
  it("without email answers 400 naming the parameter", async () => {
    const app = await startMock();
    const answer = await call(app, { path: "/contact/search" });
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toMatchObject({ details: [{ in: "query", field: "email", message: "is required" }] });
  });

  it.each(["", "not-an-email"])("with email=%j answers 400 naming the parameter", async (email) => {
    const app = await startMock();
    const answer = await call(app, { path: `/contact/search?email=${email}` });
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toMatchObject({ details: [{ in: "query", field: "email" }] });
  });

  it("finds a contact by its email in any case, in the page envelope", async () => {
    const app = await startMock();
    const f = fixtureOf(app);
    const answer = await call<Page>(app, {
      path: `/contact/search?email=${encodeURIComponent(f.contact.email.toUpperCase())}`,
    });
    expect(answer.body).toMatchObject({ page: 1, limit: DEFAULT_LIMIT, pages: 1, total: 1 });
    expect(answer.body.data.map((c) => c.guid)).toEqual([f.contact.guid]);
  });

  it("answers an empty page for an email no contact has", async () => {
    const app = await startMock();
    const answer = await call<Page>(app, { path: "/contact/search?email=nobody%40example.com" });
    expect(answer.body).toEqual({ data: [], page: 1, limit: DEFAULT_LIMIT, pages: 0, total: 0 });
  });
});
