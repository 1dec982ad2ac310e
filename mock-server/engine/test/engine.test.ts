/**
 * The engine driven directly: a request in, a response out, no socket and no framework. A table of
 * method x path x status over every kind of answer, then the behaviours the stages' order decides.
 */
import { describe, expect, it, vi } from "vitest";
import { ManualScheduler } from "../../scheduler.ts";
import { bodyText } from "../../test/engine-support.ts";
import { guid, SMALL_SEED, sequentialIds, steppingClock } from "../../test/store-fixtures.ts";
import { createEngine, type EngineOptions } from "../index.ts";
import type { EngineRequest, EngineResponse } from "../types.ts";

const KEY = "engine-test-key";
const UNKNOWN = guid(999, "eeee");

function engineFor(options: EngineOptions = {}) {
  const engine = createEngine({
    apiKeys: [KEY],
    seed: SMALL_SEED,
    now: steppingClock(),
    newId: sequentialIds(),
    ...options,
  });
  const state = engine.store.snapshot();
  const contact = state.contacts[0]?.guid ?? "";
  const chat = state.chats[0]?.guid ?? "";
  return { engine, contact, chat };
}

const text = (response: EngineResponse) => bodyText(response.body);
const json = (response: EngineResponse) => JSON.parse(text(response));

type Extra = Partial<EngineRequest> & { anonymous?: true };
type Row = [method: string, path: string, status: number, code: string | undefined, extra?: Extra];

/**
 * `{contact}` and `{chat}` stand for seeded ids. Every request carries the key, and the headers given;
 * `anonymous` leaves the key out.
 */
const rows: Row[] = [
  ["GET", "/public/v1/workspace", 200, undefined],
  ["GET", "/public/v1/contact?limit=2", 200, undefined],
  ["GET", "/public/v1/contact/", 200, undefined],
  ["GET", "/public/v1/contact/{contact}", 200, undefined],
  ["GET", `/public/v1/contact/${UNKNOWN}`, 404, "not_found"],
  ["GET", "/public/v1/contact/not-a-uuid", 400, "invalid_request"],
  ["GET", "/public/v1/contact?limit=0", 400, "invalid_request"],
  ["GET", "/public/v1/contact?page[]=1", 400, "invalid_request"],
  ["GET", "/public/v1/contact/search?email=a@b.c", 200, undefined],
  [
    "POST",
    "/public/v1/contact",
    200,
    undefined,
    { body: '{"name":"Ada"}', headers: { "content-type": "application/json" } },
  ],
  [
    "POST",
    "/public/v1/contact",
    400,
    "invalid_request",
    { body: '{"nickname":"x"}', headers: { "content-type": "application/json" } },
  ],
  ["POST", "/public/v1/contact", 400, "invalid_json", { body: "{", headers: { "content-type": "application/json" } }],
  [
    "POST",
    "/public/v1/contact",
    400,
    "invalid_json",
    { body: '{"__proto__":{"x":1}}', headers: { "content-type": "application/json" } },
  ],
  ["POST", "/public/v1/contact", 400, "invalid_json", { body: "", headers: { "content-type": "application/json" } }],
  [
    "POST",
    "/public/v1/contact",
    415,
    "unsupported_media_type",
    { body: "name=x", headers: { "content-type": "text/plain" } },
  ],
  ["DELETE", "/public/v1/contact/{contact}", 200, undefined],
  ["DELETE", "/public/v1/chat/{chat}", 200, undefined, { headers: { "content-type": "application/json" } }],
  ["GET", "/public/v1/workspace", 401, "unauthorized", { anonymous: true }],
  ["GET", "/public/v1/workspace", 401, "unauthorized", { anonymous: true, headers: { "x-api-key": "wrong" } }],
  ["GET", "/public/v1/nope", 404, "not_found", { anonymous: true }],
  ["GET", "/", 404, "not_found", { anonymous: true }],
  ["PATCH", "/public/v1/contact", 405, "method_not_allowed", { anonymous: true }],
  ["PUT", "/public/v1/contact/search", 405, "method_not_allowed"],
  ["HEAD", "/public/v1/contact", 405, "method_not_allowed"],
  ["OPTIONS", "/public/v1/contact", 405, "method_not_allowed", { anonymous: true }],
  [
    "OPTIONS",
    "/public/v1/contact",
    204,
    undefined,
    { headers: { origin: "http://app.test", "access-control-request-method": "POST" } },
  ],
  ["GET", "/public/v1/contact/%ff", 400, "invalid_request"],
  ["GET", "/public/v1/chat/{3000 characters}", 400, "invalid_request"],
  ["GET", "/__admin/fixtures", 200, undefined, { anonymous: true }],
  ["GET", "/__admin/nope", 404, "not_found", { anonymous: true }],
];

describe("the engine answers", () => {
  it.each(rows)("%s %s with %i %s", async (method, path, status, code, extra = {}) => {
    const { engine, contact, chat } = engineFor();
    const url = path
      .replace("{contact}", contact)
      .replace("{chat}", chat)
      .replace("{id of 3000 characters}", "a".repeat(3000));
    const { anonymous, headers, body } = extra;
    const response = await engine.handle({
      method,
      url,
      headers: { ...(anonymous ? {} : { "x-api-key": KEY }), ...headers },
      ...(body === undefined ? {} : { body }),
    });
    expect(response.status).toBe(status);
    if (code !== undefined) expect(json(response)).toMatchObject({ code });
  });
});

describe("the answers' headers and bodies", () => {
  it("send a read as application/json and an error with its charset, after the CORS headers", async () => {
    const { engine } = engineFor();
    const ok = await engine.handle({ method: "GET", url: "/public/v1/workspace", headers: { "x-api-key": KEY } });
    expect(Object.keys(ok.headers)).toEqual([
      "access-control-allow-origin",
      "access-control-expose-headers",
      "content-type",
    ]);
    expect(ok.headers["content-type"]).toBe("application/json");
    const refused = await engine.handle({ method: "GET", url: "/public/v1/workspace", headers: {} });
    expect(refused.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(refused.headers["access-control-allow-origin"]).toBe("*");
  });

  it("answer a DELETE with 200 and no body, and a 405 with Allow", async () => {
    const { engine, contact } = engineFor();
    const deleted = await engine.handle({
      method: "DELETE",
      url: `/public/v1/contact/${contact}`,
      headers: { "x-api-key": KEY },
    });
    expect(deleted).toEqual({
      status: 200,
      headers: expect.not.objectContaining({ "content-type": expect.anything() }),
    });
    expect(deleted.body).toBeUndefined();
    const wrong = await engine.handle({ method: "PUT", url: "/public/v1/contact/search", headers: {} });
    expect(wrong.headers.allow).toBe("GET");
    expect(json(wrong).message).toBe("PUT is not allowed on /public/v1/contact/search; allowed: GET.");
  });

  it("refuse a malformed URL before any other stage: no CORS headers, no journal entry", async () => {
    const { engine } = engineFor();
    const response = await engine.handle({ method: "GET", url: "/public/v1/contact/%ff", headers: {} });
    expect(response.headers).toEqual({ "content-type": "application/json; charset=utf-8" });
    expect(engine.journal.list().data).toEqual([]);
  });

  it("read a whole URL's path and query, and a body given as bytes as UTF-8", async () => {
    const { engine } = engineFor();
    const response = await engine.handle({
      method: "POST",
      url: "https://api.converseiq.com.au/public/v1/contact?ignored=1",
      headers: { "x-api-key": KEY, "content-type": "application/json" },
      body: new TextEncoder().encode('{"name":"Zoë"}'),
    });
    expect(response.status).toBe(200);
    expect(json(response).name).toBe("Zoë");
  });

  it("refuse a body over the spec's limit with 413, changing nothing", async () => {
    const { engine } = engineFor();
    const before = JSON.stringify(engine.store.snapshot());
    const response = await engine.handle({
      method: "POST",
      url: "/public/v1/contact",
      headers: { "x-api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ name: "x".repeat(1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(JSON.stringify(engine.store.snapshot())).toBe(before);
  });
});

describe("the stages' order", () => {
  it("asks for the key before reading the body: 401, not 415", async () => {
    const { engine } = engineFor();
    const response = await engine.handle({
      method: "POST",
      url: "/public/v1/contact",
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    expect(response.status).toBe(401);
  });

  it("judges the media type before the size, and the size before the text", async () => {
    const { engine } = engineFor();
    const huge = "{".repeat(2 * 1024 * 1024);
    const send = (contentType: string) =>
      engine.handle({
        method: "POST",
        url: "/public/v1/contact",
        headers: { "x-api-key": KEY, "content-type": contentType },
        body: huge,
      });
    expect((await send("text/plain")).status).toBe(415);
    expect((await send("application/json")).status).toBe(413);
  });

  it("validates the path before the body, and the body before the query", async () => {
    const { engine } = engineFor();
    const answer = await engine.handle({
      method: "PUT",
      url: "/public/v1/contact/not-a-uuid?limit=zero",
      headers: { "x-api-key": KEY, "content-type": "application/json" },
      body: '{"name":5}',
    });
    expect(json(answer).details).toEqual([{ in: "path", field: "contactId", message: 'must match format "uuid"' }]);
  });

  it("answers Prefer's documented example only once the request is valid, running no handler", async () => {
    const { engine, contact } = engineFor();
    const prefer = (url: string) =>
      engine.handle({ method: "DELETE", url, headers: { "x-api-key": KEY, prefer: "code=404" } });
    expect((await prefer("/public/v1/contact/not-a-uuid")).status).toBe(400);
    const canned = await prefer(`/public/v1/contact/${contact}`);
    expect(canned.status).toBe(404);
    expect(canned.headers["preference-applied"]).toBe("code=404");
    expect(engine.store.snapshot().contacts.some((c) => c.guid === contact)).toBe(true);
  });

  it("waits for Prefer's delay and the latency on the scheduler it was given", async () => {
    const scheduler = new ManualScheduler();
    const { engine } = engineFor({ scheduler, latency: { min: 50, max: 50 } });
    const delay = scheduler.nextTimer();
    const answer = engine.handle({
      method: "GET",
      url: "/public/v1/workspace",
      headers: { "x-api-key": KEY, prefer: "delay=200" },
    });
    expect(await delay).toBe(200);
    const latency = scheduler.nextTimer();
    scheduler.advance(200);
    expect(await latency).toBe(50);
    scheduler.advance(50);
    expect((await answer).status).toBe(200);
    expect(scheduler.requested).toEqual([200, 50]);
  });

  it("limits each key after auth, with Retry-After, and faults before the handler so nothing changes", async () => {
    const { engine } = engineFor({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const get = () => engine.handle({ method: "GET", url: "/public/v1/workspace", headers: { "x-api-key": KEY } });
    expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("60");

    const faulty = engineFor({ errorRate: 1 }).engine;
    const before = JSON.stringify(faulty.store.snapshot());
    const created = await faulty.handle({
      method: "POST",
      url: "/public/v1/contact",
      headers: { "x-api-key": KEY, "content-type": "application/json" },
      body: '{"name":"x"}',
    });
    expect([429, 500, 503]).toContain(created.status);
    expect(JSON.stringify(faulty.store.snapshot())).toBe(before);
  });
});

describe("the engine itself", () => {
  it("never rejects: a bug in a handler is a 500 internal_error, reported, and the next request is served", async () => {
    const onError = vi.fn();
    const { engine } = engineFor({ onError });
    vi.spyOn(engine.store, "getWorkspace").mockImplementationOnce(() => {
      throw new TypeError("boom");
    });
    const broken = await engine.handle({ method: "GET", url: "/public/v1/workspace", headers: { "x-api-key": KEY } });
    expect(broken.status).toBe(500);
    expect(json(broken)).toEqual({
      code: "internal_error",
      message: "The mock failed unexpectedly; this is a bug in the mock.",
    });
    expect(onError).toHaveBeenCalledWith(expect.any(TypeError));
    const next = await engine.handle({ method: "GET", url: "/public/v1/workspace", headers: { "x-api-key": KEY } });
    expect(next.status).toBe(200);
  });

  it("journals each request with its operation, but not reads of the journal", async () => {
    const { engine } = engineFor();
    await engine.handle({ method: "GET", url: "/public/v1/contact?limit=1", headers: { "x-api-key": KEY } });
    await engine.handle({ method: "GET", url: "/nope", headers: {} });
    const read = await engine.handle({ method: "GET", url: "/__admin/requests", headers: {} });
    const entries = json(read).data.map(
      (e: { method: string; path: string; status: number; operationId: string | null }) => [
        e.method,
        e.path,
        e.status,
        e.operationId,
      ],
    );
    expect(entries).toEqual([
      ["GET", "/public/v1/contact?limit=1", 200, "listContacts"],
      ["GET", "/nope", 404, null],
    ]);
  });

  it("keeps one store through an admin reset, seeded afresh", async () => {
    const { engine } = engineFor();
    const store = engine.store;
    await engine.handle({
      method: "POST",
      url: "/public/v1/contact",
      headers: { "x-api-key": KEY, "content-type": "application/json" },
      body: '{"name":"x"}',
    });
    const reset = await engine.handle({ method: "POST", url: "/__admin/reset", headers: {} });
    expect(reset.status).toBe(200);
    expect(engine.store).toBe(store);
    expect(engine.store.snapshot().contacts).toHaveLength(SMALL_SEED.contacts);
  });
});

describe("what a transport asks of the engine", () => {
  it("gives each route's body limit: the spec's, and PUT /__admin/state's own, whatever the query", () => {
    const { engine } = engineFor();
    const publicLimit = engine.bodyLimit("POST", "/public/v1/contact");
    expect(publicLimit).toBe(1024 * 1024);
    expect(engine.bodyLimit("put", "/__admin/state?x=1")).toBe(512 * 1024 * 1024);
    expect(engine.bodyLimit("POST", "/__admin/reset")).toBe(publicLimit);
  });

  it("frames a refused body as its own answers: the head's 401 first, CORS, the journal and the coverage", () => {
    const scheduler = new ManualScheduler();
    const { engine } = engineFor({ scheduler });
    const tooLarge = { code: "payload_too_large", message: "Too large.", close: false } as const;
    const post = (headers: Record<string, string>) => ({ method: "POST", url: "/public/v1/contact", headers });
    const asJson = { "content-type": "application/json" };

    const anonymous = engine.refuse(post(asJson), tooLarge, engine.now());
    expect(anonymous.status).toBe(401);
    const textBody = engine.refuse(post({ "x-api-key": KEY, "content-type": "text/plain" }), tooLarge, engine.now());
    expect(textBody.status).toBe(415);
    const refused = engine.refuse(post({ "x-api-key": KEY, ...asJson }), tooLarge, engine.now());
    expect(refused.status).toBe(413);
    expect(refused.headers["access-control-allow-origin"]).toBe("*");
    expect(json(refused)).toEqual({ code: "payload_too_large", message: "Too large." });

    const admin = engine.refuse({ method: "PUT", url: "/__admin/state", headers: asJson }, tooLarge, engine.now());
    expect(admin.status).toBe(413);
    const journal = engine.journal.list().data.map((e) => [e.path, e.status, e.operationId]);
    expect(journal).toEqual([
      ["/public/v1/contact", 401, "createContact"],
      ["/public/v1/contact", 415, "createContact"],
      ["/public/v1/contact", 413, "createContact"],
      ["/__admin/state", 413, null],
    ]);
    const counted = engine.coverage.report().operations.find((row) => row.operationId === "createContact");
    const count = (status: number) => counted?.statuses.find((row) => row.status === status)?.count;
    expect([count(401), count(415), count(413)]).toEqual([1, 1, 1]);
  });

  it("serves its pages first, with the API's CORS headers and out of the journal", async () => {
    const page = { status: 200, headers: { "content-type": "text/html" }, body: "<p>docs</p>" };
    const { engine } = engineFor({
      pages: (request) =>
        request.url === "/docs" ? Promise.resolve({ ...page, headers: { ...page.headers } }) : undefined,
    });
    const docs = await engine.handle({ method: "GET", url: "/docs", headers: {} });
    expect(docs.headers).toEqual({
      "access-control-allow-origin": "*",
      "access-control-expose-headers": "retry-after, x-mock-stale",
      "content-type": "text/html",
    });
    expect(text(docs)).toBe("<p>docs</p>");
    expect((await engine.handle({ method: "GET", url: "/other", headers: {} })).status).toBe(404);
    expect(engine.journal.list().data.map((e) => e.path)).toEqual(["/other"]);
  });
});
