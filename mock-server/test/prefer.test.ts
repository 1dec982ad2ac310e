/**
 * The Prism-compatible `Prefer` header: a client asks for a documented response (`code=404`), a named
 * example (`example=NAME`) or a delay (`delay=MS`), and gets exactly what the spec documents, without
 * the handler running. Every answer seen here is validated against the spec.
 */
import type { oas31 } from "openapi3-ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOperations, publicSpec } from "../../lib/spec.ts";
import { buildMockServer, type MockServer } from "../app.ts";
import { cannedResponses } from "../behaviour/canned-responses.ts";
import { planPrefer } from "../behaviour/prefer.ts";
import { parsePrefer } from "../behaviour/prefer-header.ts";
import { PUBLIC_PREFIX } from "../mock-options.ts";
import { ManualScheduler } from "../scheduler.ts";
import { operation, operations, send, sendWaiting, validRequest } from "./behaviour-support.ts";

let app: MockServer;
beforeAll(async () => {
  app = await buildMockServer();
});
afterAll(() => app.close());

describe("the Prefer header is read as Prism reads it", () => {
  it.each([
    ["code=404", { code: "404" }],
    ["code=404, example=missing", { code: "404", example: "missing" }],
    ["Code=200,EXAMPLE=big , delay=10", { code: "200", example: "big", delay: "10" }],
    ['example="with, a comma"', { example: "with, a comma" }],
    ["code=200; charset=whatever, return=minimal", { code: "200", return: "minimal" }],
    ["code=200, code=404", { code: "200" }],
    ["respond-async, , code=201", { "respond-async": "", code: "201" }],
  ])("%s", (header, want) => {
    expect(Object.fromEntries(parsePrefer(header))).toEqual(want);
  });
});

describe("Prefer: code", () => {
  it("returns the documented example of the 404 response, and runs no handler", async () => {
    const op = operation("getContact");
    const [existing] = app.store.listContacts({ page: 1, limit: 1 }).data;
    const request = validRequest(op, { prefer: "code=404" });
    request.url = `${PUBLIC_PREFIX}/contact/${existing?.guid}`;
    const answer = await send(app, op, request);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual(op.responses.get("404")?.example);
    expect(answer.headers["preference-applied"]).toBe("code=404");
  });

  it("returns the documented example of a 200, not the stored data", async () => {
    const op = operation("listContacts");
    const answer = await send(app, op, validRequest(op, { prefer: "code=200" }));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(op.responses.get("200")?.example);
  });

  it("gives 429 its Retry-After header", async () => {
    const op = operation("getWorkspace");
    const answer = await send(app, op, validRequest(op, { prefer: "code=429" }));
    expect(answer.status).toBe(429);
    expect(Number(answer.headers["retry-after"])).toBeGreaterThanOrEqual(0);
  });

  it("answers the server errors the default response covers, each with its own code", async () => {
    const op = operation("getWorkspace");
    const unavailable = await send(app, op, validRequest(op, { prefer: "code=503" }));
    expect(unavailable).toMatchObject({ status: 503, body: { code: "service_unavailable" } });
    const internal = await send(app, op, validRequest(op, { prefer: "code=500" }));
    expect(internal).toMatchObject({ status: 500, body: op.responses.get("default")?.example });
  });

  it("answers a documented 200 without a body with an empty body", async () => {
    const op = operation("deleteContact");
    const answer = await send(app, op, validRequest(op, { prefer: "code=200" }));
    expect(answer).toMatchObject({ status: 200, body: undefined });
  });

  it("can ask every operation for every status it documents, and each answer conforms to the spec", async () => {
    for (const op of operations) {
      for (const status of cannedResponses(op).statuses.keys()) {
        const answer = await send(app, op, validRequest(op, { prefer: `code=${status}` }));
        expect(answer.status, `${op.id} code=${status}`).toBe(status);
      }
    }
  });

  it.each([
    ["418", "getWorkspace documents no response with status 418"],
    ["404", "getWorkspace documents no response with status 404"],
    ["abc", "three-digit"],
    ["2000", "three-digit"],
    ["", "three-digit"],
  ])("code=%s, which the operation does not document, is 400 with the Error body, never a 5xx", async (code, says) => {
    const op = operation("getWorkspace");
    const answer = await send(app, op, validRequest(op, { prefer: `code=${code}` }));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code: "invalid_request",
      message: expect.stringContaining(says),
      details: [{ in: "header", field: "Prefer" }],
    });
  });

  it("still checks the key first: without one, a Prefer'd request is 401", async () => {
    const op = operation("getContact");
    const request = validRequest(op, { prefer: "code=404" });
    request.headers = { prefer: "code=404" };
    expect((await send(app, op, request)).status).toBe(401);
  });

  it("still validates the request first, as Prism does: a malformed id is 400, not the 404 asked for", async () => {
    const op = operation("getContact");
    const request = validRequest(op, { prefer: "code=404" });
    request.url = `${PUBLIC_PREFIX}/contact/not-a-guid`;
    const answer = await send(app, op, request);
    expect(answer).toMatchObject({ status: 400, body: { details: [{ in: "path", field: "contactId" }] } });
  });

  it("changes no state, even for a create, an update or a delete", async () => {
    const before = app.store.snapshot();
    const [existing] = app.store.listContacts({ page: 1, limit: 1 }).data;
    for (const id of ["createContact", "updateContact", "deleteContact", "createChat", "deleteChat"] as const) {
      const op = operation(id);
      const request = validRequest(op, { prefer: "code=200" });
      if (id === "updateContact" || id === "deleteContact") request.url = `${PUBLIC_PREFIX}/contact/${existing?.guid}`;
      expect((await send(app, op, request)).status).toBe(200);
    }
    expect(app.store.snapshot()).toEqual(before);
  });

  it("leaves other preferences alone: Prism's dynamic=true answers as usual", async () => {
    const op = operation("getWorkspace");
    const answer = await send(app, op, validRequest(op, { prefer: "dynamic=true" }));
    expect(answer).toMatchObject({ status: 200, body: app.store.getWorkspace() });
  });
});

describe("Prefer: example", () => {
  it("names the single example of a response `default`, as Prism does", async () => {
    const op = operation("listChats");
    const answer = await send(app, op, validRequest(op, { prefer: "example=default" }));
    expect(answer).toMatchObject({ status: 200, body: op.responses.get("200")?.example });
  });

  it("combines with code", async () => {
    const op = operation("getChat");
    const answer = await send(app, op, validRequest(op, { prefer: "code=404, example=default" }));
    expect(answer).toMatchObject({ status: 404, body: op.responses.get("404")?.example });
  });

  it("answers 400 naming the available examples when the name is unknown", async () => {
    const op = operation("listChats");
    const answer = await send(app, op, validRequest(op, { prefer: "example=huge" }));
    expect(answer).toMatchObject({
      status: 400,
      body: { code: "invalid_request", message: expect.stringContaining('no example named "huge"') },
    });
    expect((answer.body as { message: string }).message).toContain("available: default");
  });

  it("picks any example of an OpenAPI `examples` map, and lists them all when the name is unknown", () => {
    const doc = structuredClone(publicSpec) as oas31.OpenAPIObject;
    const response = doc.paths?.["/team"]?.get?.responses?.["200"] as oas31.ResponseObject | undefined;
    const media = response?.content?.["application/json"];
    if (!media) throw new Error("the spec moved: /team GET 200 has no JSON body");
    const empty = { data: [], total: 0, page: 1, pages: 0 };
    media.examples = { empty: { value: empty }, first: { $ref: "#/components/examples/FirstPage" } };
    doc.components = { ...doc.components, examples: { FirstPage: { value: { ...empty, total: 1 } } } };
    const op = listOperations(doc).find((o) => o.id === "listTeamMembers");
    if (!op) throw new Error("no listTeamMembers");
    const table = cannedResponses(op, doc);

    expect(planPrefer(table, parsePrefer("example=empty")).answer?.body).toBe(JSON.stringify(empty));
    expect(planPrefer(table, parsePrefer("example=first")).answer?.body).toContain('"total":1');
    expect(() => planPrefer(table, parsePrefer("example=nope"))).toThrow("available: default, empty, first");
  });

  it("answers 400 for a response that has no body to take an example from", async () => {
    const op = operation("deleteChat");
    const answer = await send(app, op, validRequest(op, { prefer: "example=default" }));
    expect(answer).toMatchObject({ status: 400, body: { message: expect.stringContaining("it has none") } });
  });
});

describe("Prefer: delay", () => {
  // The delays wait on a manual scheduler: the test reads what was asked for instead of timing it.
  let scheduler: ManualScheduler;
  let slow: MockServer;
  beforeAll(async () => {
    scheduler = new ManualScheduler();
    slow = await buildMockServer({ scheduler });
  });
  afterAll(() => slow.close());

  it("delays the answer by that many milliseconds", async () => {
    const op = operation("getWorkspace");
    const { waitedMs, answer } = await sendWaiting(slow, scheduler, op, validRequest(op, { prefer: "delay=150" }));
    expect(waitedMs).toBe(150);
    expect(answer.status).toBe(200);
  });

  it("combines with code in one header", async () => {
    const op = operation("getTeamMember");
    const request = validRequest(op, { prefer: "code=404, delay=60" });
    const { waitedMs, answer } = await sendWaiting(slow, scheduler, op, request);
    expect(waitedMs).toBe(60);
    expect(answer.status).toBe(404);
  });

  it.each(["-1", "10001", "1.5", "abc", "", "99999999"])("delay=%s is 400", async (delay) => {
    const op = operation("getWorkspace");
    const answer = await send(app, op, validRequest(op, { prefer: `delay=${delay}` }));
    expect(answer).toMatchObject({ status: 400, body: { details: [{ in: "header", field: "Prefer" }] } });
  });
});
