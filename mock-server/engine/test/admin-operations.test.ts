/**
 * The admin API as the engine serves it (engine/admin-operations.ts, on the engine's one pipeline), driven
 * through `engine.handle` with CORS off: no server, no framework. The answers are the Fastify routes' (mock-server/test/admin.test.ts holds the
 * same API to its spec over the whole app): statuses, headers and the words of each error.
 */
import { describe, expect, it } from "vitest";
import { PER_REPLICA } from "../../admin/handlers.ts";
import { JsonChunks, jsonBody } from "../../admin/state-json.ts";
import { sameBytes } from "../../admin/token.ts";
import type { AdminOperationId } from "../../admin/types.ts";
import { adminOperations } from "../../admin/validation.ts";
import { DEFAULT_API_KEY } from "../../mock-options.ts";
import type { Fixtures } from "../../store/types.ts";
import { bodyText } from "../../test/engine-support.ts";
import { createEngine, type EngineOptions } from "../index.ts";

const SMALL = { seed: 7, contacts: 12, chats: 4, team: 3, channels: 5, bots: 2 };
const JSON_TYPE = { "content-type": "application/json" };
const KEY = { "x-api-key": DEFAULT_API_KEY };

function setUp(options: EngineOptions = {}) {
  const engine = createEngine({ seed: SMALL, cors: false, ...options });
  const call = async (method: string, url: string, init: { headers?: Record<string, string>; body?: string } = {}) => {
    const answer = await engine.handle({ method, url, headers: init.headers ?? {}, body: init.body });
    const text = bodyText(answer.body);
    return { ...answer, text, json: () => JSON.parse(text) };
  };
  return { engine, store: engine.store, call };
}

describe("GET /__admin/fixtures", () => {
  it("answers the store's ids and the accepted keys as JSON", async () => {
    const { call, store } = setUp({ apiKeys: ["key-one", "key-two"] });
    const answer = await call("GET", "/__admin/fixtures");
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({ "content-type": "application/json; charset=utf-8" });
    const fixtures = answer.json() as Fixtures;
    expect(fixtures.workspace).toBe(store.state.workspace.guid);
    expect(fixtures.team[0]).toBe(fixtures.owner);
    expect(fixtures.apiKeys).toEqual(["key-one", "key-two"]);
  });

  it("is routed with one trailing slash and with percent-encoded letters, as the router read them", async () => {
    const { call } = setUp();
    expect((await call("GET", "/__admin/fixtures/")).status).toBe(200);
    expect((await call("GET", "/__admin/%66ixtures")).status).toBe(200);
  });
});

describe("POST /__admin/reset", () => {
  it("with no body, brings back the seeded state and starts the faults again from the seed", async () => {
    const { call, store } = setUp({ errorRate: 0.5 });
    const seeded = JSON.stringify(store.snapshot());
    const statuses = async () => {
      const got: number[] = [];
      for (let i = 0; i < 12; i++) got.push((await call("GET", "/public/v1/workspace", { headers: KEY })).status);
      return got;
    };
    const first = await statuses();
    expect(new Set(first).size).toBeGreaterThan(1);
    store.createContact({ name: "Temporary", email: "temp@example.com" });
    expect(JSON.stringify(store.snapshot())).not.toBe(seeded);

    const answer = await call("POST", "/__admin/reset");
    expect(answer.status).toBe(200);
    expect(JSON.stringify(store.snapshot())).toBe(seeded);
    expect(await statuses()).toEqual(first);
  });

  it("seeds with the sizes of its body, the others as the mock started", async () => {
    const { call, store } = setUp();
    const answer = await call("POST", "/__admin/reset", { headers: JSON_TYPE, body: '{"seed": 99, "contacts": 3}' });
    expect(answer.status).toBe(200);
    expect(store.snapshot().contacts).toHaveLength(3);
    expect(store.snapshot().team).toHaveLength(SMALL.team);
  });

  it("refuses sizes outside the spec's limits with a 400 naming each field, in Ajv's words, and changes nothing", async () => {
    const { call, store } = setUp();
    const before = JSON.stringify(store.snapshot());
    const answer = await call("POST", "/__admin/reset", {
      headers: JSON_TYPE,
      body: '{"team": 0, "contacts": -1, "colour": "red"}',
    });
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({
      code: "invalid_request",
      message:
        "The request body is invalid: /colour is not a known property; /contacts must be >= 0; /team must be >= 1.",
      details: [
        { in: "body", field: "/colour", message: "is not a known property" },
        { in: "body", field: "/contacts", message: "must be >= 0" },
        { in: "body", field: "/team", message: "must be >= 1" },
      ],
    });
    expect(JSON.stringify(store.snapshot())).toBe(before);
  });

  it("refuses a body that is not JSON (400) or not sent as JSON (415)", async () => {
    const { call } = setUp();
    const broken = await call("POST", "/__admin/reset", { headers: JSON_TYPE, body: "{bad" });
    expect(broken.status).toBe(400);
    expect(broken.json()).toMatchObject({ code: "invalid_json" });
    const text = await call("POST", "/__admin/reset", { headers: { "content-type": "text/plain" }, body: "{}" });
    expect(text.status).toBe(415);
    expect(text.json()).toEqual({
      code: "unsupported_media_type",
      message: "Send the body as application/json; got text/plain.",
    });
  });
});

describe("path and query parameters", () => {
  it("refuses a path parameter that is not a UUID, naming it", async () => {
    const { call } = setUp();
    const answer = await call("DELETE", "/__admin/team/not-an-id");
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({
      code: "invalid_request",
      message: 'A path parameter is invalid: memberId must match format "uuid".',
      details: [{ in: "path", field: "memberId", message: 'must match format "uuid"' }],
    });
  });

  it("refuses a query parameter given twice, and bracket syntax, naming the parameter", async () => {
    const { call } = setUp();
    const twice = await call("DELETE", "/__admin/webhooks?url=a&url=b");
    expect(twice.status).toBe(400);
    expect(twice.json()).toMatchObject({ message: "A query parameter is invalid: url must be string." });
    const brackets = await call("GET", "/__admin/fixtures?x[]=1");
    expect(brackets.status).toBe(400);
    expect(brackets.json()).toMatchObject({ details: [{ in: "query", field: "x[]" }] });
  });

  it("judges the path before the body, and the body before the query", async () => {
    const { call } = setUp();
    const id = "00000000-0000-4000-8000-000000000000";
    const badAll = await call("PUT", "/__admin/team/x?z[x]=1", { headers: JSON_TYPE, body: '{"nam": "B"}' });
    expect(badAll.json().details[0].in).toBe("path");
    const badBodyAndQuery = await call("PUT", `/__admin/team/${id}?z[x]=1`, {
      headers: JSON_TYPE,
      body: '{"nam": "B"}',
    });
    expect(badBodyAndQuery.json().details[0].in).toBe("body");
  });

  it("refuses a malformed path, and a path parameter over 2048 characters, before the token", async () => {
    const { call } = setUp({ adminToken: "s3cret" });
    const malformed = await call("POST", "/__admin/chats/%zz/mute");
    expect(malformed.status).toBe(400);
    expect(malformed.json().message).toBe("The URL is not well-formed (bad percent-encoding).");
    const long = await call("DELETE", `/__admin/team/${"a".repeat(2049)}`);
    expect(long.status).toBe(400);
    expect(long.json().message).toBe("The request could not be routed: the URL is malformed or too long.");
  });

  it("answers a malformed path before CORS and out of the journal; a parameter too long only on a route", async () => {
    const { engine, call } = setUp({ cors: true });
    const malformed = await call("GET", "/__admin/%zz");
    expect(malformed.status).toBe(400);
    expect(malformed.headers["access-control-allow-origin"]).toBeUndefined();
    expect(engine.journal.list().data).toEqual([]);
    expect((await call("DELETE", `/__admin/team/${"a".repeat(2049)}`)).status).toBe(400);
    // Within the limit, it is routed (and validated: not a UUID).
    expect((await call("DELETE", `/__admin/team/${"a".repeat(2048)}`)).json().details[0].field).toBe("memberId");
    // No route for GET on that path, so no parameter was read: a 405, not a refusal.
    expect((await call("GET", `/__admin/team/${"a".repeat(2049)}`)).status).toBe(405);
  });
});

describe("GET and PUT /__admin/state", () => {
  it("exports exactly the store's snapshot as JSON", async () => {
    const { call, store } = setUp();
    const answer = await call("GET", "/__admin/state");
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({ "content-type": "application/json" });
    expect(answer.text).toBe(JSON.stringify(store.snapshot()));
  });

  it("imports an exported state, answering its fixtures; a bad one is a 400 and changes nothing", async () => {
    const source = setUp({ seed: { ...SMALL, seed: 1234 } });
    const exported = (await source.call("GET", "/__admin/state")).text;
    const { call, store } = setUp();
    const imported = await call("PUT", "/__admin/state", { headers: JSON_TYPE, body: exported });
    expect(imported.status).toBe(200);
    expect((imported.json() as Fixtures).workspace).toBe(source.store.state.workspace.guid);
    expect(JSON.stringify(store.snapshot())).toBe(exported);

    const refused = await call("PUT", "/__admin/state", { headers: JSON_TYPE, body: "{}" });
    expect(refused.status).toBe(400);
    expect(refused.json().message).toMatch(/^The state is invalid: \/workspace is required;/);
    expect(JSON.stringify(store.snapshot())).toBe(exported);
  });

  it("writes a text past the string limit as its UTF-8 bytes, the same text", () => {
    const pieces = ['{"name":"Zoë ', "😀".repeat(40), '","n":[', "1,".repeat(500), "2]}"];
    const joined = pieces.join("");
    expect(jsonBody(pieces)).toBe(joined);
    const bytes = jsonBody(pieces, 16);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bodyText(bytes as Uint8Array)).toBe(joined);
    expect(new JsonChunks(pieces).chunks).toBe(pieces);
  });
});

describe("the journal's routes", () => {
  it("empty the journal on DELETE with a 200 and no body", async () => {
    const { call, engine } = setUp();
    engine.journal.record({ at: 0, method: "GET", path: "/x", status: 200, durationMs: 1, operationId: null });
    const answer = await call("DELETE", "/__admin/requests");
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({});
    expect(answer.body).toBeUndefined();
    expect(engine.journal.list().data).toEqual([]);
  });

  it.each([
    ["GET", "/__admin/requests", true],
    ["DELETE", "/__admin/requests/", true],
    ["GET", "/__admin/fixtures", false],
    ["PUT", "/__admin/requests", false],
    ["GET", "/__admin/requests//", false],
  ])("%s %s stays out of the journal: %s", async (method, url, skipped) => {
    const { call, engine } = setUp();
    await call(method, url);
    expect(engine.journal.list().data).toHaveLength(skipped ? 0 : 1);
  });
});

describe("a failure in the mock itself", () => {
  it("is a 500 in the spec's shape, reported, and the API serves on", async () => {
    const reported: unknown[] = [];
    const { call, store } = setUp({ onError: (error) => reported.push(error) });
    let broken = true;
    const state = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(store), "state")?.get as () => unknown;
    Object.defineProperty(store, "state", {
      get() {
        if (broken) throw new Error("boom");
        return state.call(store);
      },
    });
    const answer = await call("GET", "/__admin/fixtures");
    expect(answer.status).toBe(500);
    expect(answer.json()).toEqual({
      code: "internal_error",
      message: "The mock failed unexpectedly; this is a bug in the mock.",
    });
    expect(reported).toEqual([new Error("boom")]);
    broken = false;
    expect((await call("GET", "/__admin/fixtures")).status).toBe(200);
  });
});

describe("unknown admin routes", () => {
  it.each([
    ["PATCH", "/__admin/state", "GET, PUT"],
    ["POST", "/__admin/fixtures", "GET"],
    ["GET", "/__admin/team/00000000-0000-4000-8000-000000000000", "PUT, DELETE"],
  ])("%s %s answers 405 with Allow: %s", async (method, url, allow) => {
    const { call } = setUp();
    const answer = await call(method, url);
    expect(answer.status).toBe(405);
    expect(answer.headers).toEqual({ allow, "content-type": "application/json; charset=utf-8" });
    expect(answer.json()).toEqual({
      code: "method_not_allowed",
      message: `${method} is not allowed on ${url}; allowed: ${allow}.`,
    });
  });

  it("answers 404 naming the admin routes, reading no body of another media type", async () => {
    const { call } = setUp();
    const answer = await call("POST", "/__admin/nothing-here/", {
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    expect(answer.status).toBe(404);
    expect(answer.json().message).toMatch(
      /^No admin route POST \/__admin\/nothing-here\. The admin API has: GET \/__admin\/fixtures, POST \/__admin\/reset, /,
    );
    const badJson = await call("POST", "/__admin/nothing-here", { headers: JSON_TYPE, body: "{bad" });
    expect(badJson.status).toBe(400);
  });
});

describe("the admin token", () => {
  it("when set, is needed on every admin path: 401 without it, or with a wrong one that is never echoed", async () => {
    const { call } = setUp({ adminToken: "s3cret" });
    for (const url of ["/__admin/fixtures", "/__admin/nothing-here"]) {
      const missing = await call("GET", url);
      expect(missing.status).toBe(401);
      expect(missing.json()).toMatchObject({
        code: "unauthorized",
        details: [{ in: "header", field: "x-admin-token", message: "is required" }],
      });
      const wrong = await call("GET", url, { headers: { "x-admin-token": "s3cret!" } });
      expect(wrong.status).toBe(401);
      expect(wrong.json().details[0].message).toBe("is not the admin token");
      expect(wrong.text).not.toContain("s3cret");
    }
    expect((await call("GET", "/__admin/fixtures", { headers: { "x-admin-token": "s3cret" } })).status).toBe(200);
  });

  it("when not set, is not needed", async () => {
    const { call } = setUp();
    expect((await call("GET", "/__admin/fixtures")).status).toBe(200);
  });

  it.each([
    ["s3cret", "s3cret", true],
    ["s3cret", "s3cres", false],
    ["s3cret", "s3cre", false],
    ["s3cret", "s3crets3cret", false],
    ["s3cret", "", false],
    ["tökén", "tökén", true],
    ["", "", true],
  ])("compares %j with %j byte for byte: %s", (token, given, same) => {
    const encode = (text: string) => new TextEncoder().encode(text);
    expect(sameBytes(encode(token), encode(given))).toBe(same);
  });
});

describe("the admin spec and the routes a replica shares", () => {
  // A route that changes the shared state goes through Redis with --redis (503 while it is out of reach);
  // one with a body can be cut off (408). The spec must say so of exactly those routes.
  const shared = adminOperations.filter((op) => op.method !== "get" && !PER_REPLICA.has(op.id as AdminOperationId));

  it.each(shared.map((op) => [op.id, op] as const))("%s documents 503, and 408 when it takes a body", (_, op) => {
    expect(op.responses.has("503")).toBe(true);
    expect(op.responses.has("408")).toBe(op.requestBody !== null);
  });

  it("no route kept per replica documents 503", () => {
    const own = adminOperations.filter((op) => PER_REPLICA.has(op.id as AdminOperationId) || op.method === "get");
    expect(own.filter((op) => op.responses.has("503")).map((op) => op.id)).toEqual([]);
  });
});
