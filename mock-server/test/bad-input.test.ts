/**
 * Bad input always gets a clear 4xx with the spec's Error body, never a 5xx or a hang; and nothing a bad
 * request carries changes the state or leaks into the process (prototype pollution). Every test runs
 * through both doors to the mock (transports.ts): its HTTP server over a socket, and its fetch adapter in
 * process. Bodies that stall or must be drained are the socket's alone: bad-bodies-over-http.test.ts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { BODY_LIMIT } from "../mock-options.ts";
import { call, errorOf, fixtureOf, operations, PUBLIC_PREFIX } from "./helpers.ts";
import { closeMocks, type MockUnderTest, TRANSPORTS } from "./transports.ts";

const withBody = operations.filter((op) => op.requestBody !== null);

afterEach(closeMocks);
afterEach(() => {
  // Whatever a test sent, no property may have reached every object of the process.
  expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

// One suite, two transports: the same requests on the same seed, the same assertions.
describe.each(TRANSPORTS.map((t) => [t.name, t] as const))("through %s", (_, { start: startMock, headLimit }) => {
  /** A path for each operation that takes a body, on the seeded data. */
  async function bodyTargets() {
    const app = await startMock();
    const f = fixtureOf(app);
    const paths: Record<string, string> = {
      createContact: "/contact",
      updateContact: `/contact/${f.contact.guid}`,
      createChat: "/chat",
      updateChat: `/chat/${f.chat}`,
      createChatMessage: `/chat/${f.chat}/message`,
    };
    const targets = withBody.map((op) => {
      const path = paths[op.id];
      if (!path) throw new Error(`no path for ${op.id}: add it here`);
      return { id: op.id, method: op.method.toUpperCase(), path };
    });
    return { app, targets, before: JSON.stringify(app.store.snapshot()) };
  }

  const stateOf = (app: MockUnderTest) => JSON.stringify(app.store.snapshot());

  describe("a body", () => {
    it("that is not well-formed JSON answers 400 invalid_json, changing nothing", async () => {
      const { app, targets, before } = await bodyTargets();
      for (const { id, method, path } of targets) {
        for (const payload of ["{", '{"name": }', "{'name': 'x'}", "nul"]) {
          const answer = await call(app, { method, path, payload, headers: { "content-type": "application/json" } });
          expect(answer.status, `${id} ${payload}`).toBe(400);
          expect(errorOf(answer).code).toBe("invalid_json");
        }
      }
      expect(stateOf(app)).toBe(before);
    });

    it.each([
      ["an array", "[]"],
      ["an array of an object", '[{"name":"x"}]'],
      ["a string", '"hello"'],
      ["a number", "42"],
      ["a boolean", "true"],
      ["null", "null"],
    ])("that is %s answers 400 saying the body must be an object", async (_, payload) => {
      const { app, targets, before } = await bodyTargets();
      for (const { id, method, path } of targets) {
        const answer = await call(app, { method, path, payload, headers: { "content-type": "application/json" } });
        expect(answer.status, id).toBe(400);
        expect(errorOf(answer), id).toMatchObject({ code: "invalid_request", details: [{ in: "body", field: "" }] });
      }
      expect(stateOf(app)).toBe(before);
    });

    it("that is missing, or empty with a JSON content type, answers 400", async () => {
      const { app, targets, before } = await bodyTargets();
      for (const { id, method, path } of targets) {
        expect((await call(app, { method, path })).status, id).toBe(400);
        const empty = await call(app, { method, path, payload: "", headers: { "content-type": "application/json" } });
        expect(empty.status, id).toBe(400);
      }
      expect(stateOf(app)).toBe(before);
    });

    it("over 1 MiB answers 413, changing nothing", async () => {
      const { app, targets, before } = await bodyTargets();
      const huge = JSON.stringify({ name: "x".repeat(BODY_LIMIT) });
      for (const { id, method, path } of targets) {
        const answer = await call(app, {
          method,
          path,
          payload: huge,
          headers: { "content-type": "application/json" },
        });
        expect(answer.status, id).toBe(413);
        expect(errorOf(answer).code).toBe("payload_too_large");
      }
      expect(stateOf(app)).toBe(before);
    });

    it("just under 1 MiB is read (and judged by the spec)", async () => {
      const app = await startMock();
      const name = "x".repeat(BODY_LIMIT - 100);
      const answer = await call<{ name: string }>(app, { method: "POST", path: "/contact", json: { name } });
      expect(answer.status).toBe(200);
      expect(answer.body.name).toHaveLength(name.length);
    });

    it.each([
      ["text/plain", "hello"],
      ["application/x-www-form-urlencoded", "name=x"],
      ["multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=name\r\n\r\nx\r\n--x--"],
      ["application/xml", "<contact/>"],
    ])("sent as %s answers 415, changing nothing", async (contentType, payload) => {
      const { app, targets, before } = await bodyTargets();
      for (const { id, method, path } of targets) {
        const answer = await call(app, { method, path, payload, headers: { "content-type": contentType } });
        expect(answer.status, id).toBe(415);
        expect(errorOf(answer).code).toBe("unsupported_media_type");
      }
      expect(stateOf(app)).toBe(before);
    });

    it("sent as application/json with a charset, or in upper case, is read", async () => {
      const app = await startMock();
      for (const contentType of ["application/json; charset=utf-8", "Application/JSON"]) {
        const answer = await call(app, {
          method: "POST",
          path: "/contact",
          payload: JSON.stringify({ name: contentType }),
          headers: { "content-type": contentType },
        });
        expect(answer.status, contentType).toBe(200);
      }
    });

    it("with a property the spec does not know answers 400 naming it", async () => {
      const app = await startMock();
      const answer = await call(app, { method: "POST", path: "/contact", json: { name: "x", nickname: "y" } });
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toMatchObject({ details: [{ in: "body", field: "/nickname" }] });
    });

    it("on a DELETE, which takes none, is not needed even with a JSON content type", async () => {
      const app = await startMock();
      const f = fixtureOf(app);
      const answer = await call(app, {
        method: "DELETE",
        path: `/contact/${f.contact.guid}`,
        headers: { "content-type": "application/json" },
      });
      expect(answer.status).toBe(200);
      expect((await call(app, { path: `/contact/${f.contact.guid}` })).status).toBe(404);
      const chat = await call(app, {
        method: "DELETE",
        path: `/chat/${f.chat}`,
        headers: { "content-type": "application/json", "content-length": "0" },
      });
      expect(chat.status).toBe(200);
    });

    it("on a DELETE may still be sent, and is ignored if it is JSON", async () => {
      const app = await startMock();
      const answer = await call(app, { method: "DELETE", path: `/chat/${fixtureOf(app).chat}`, json: { why: "done" } });
      expect(answer.status).toBe(200);
    });
  });

  describe("__proto__ and constructor keys in a body", () => {
    const poisoned = [
      ['a top-level "__proto__"', '{"name":"x","__proto__":{"polluted":"yes"}}'],
      ['a nested "__proto__"', '{"name":"x","company":{"__proto__":{"polluted":"yes"}}}'],
      ['"constructor.prototype"', '{"name":"x","constructor":{"prototype":{"polluted":"yes"}}}'],
      ['a plain "constructor"', '{"name":"x","constructor":"yes"}'],
      ['a "__proto__" that is a string', '{"name":"x","__proto__":"yes"}'],
    ];

    it.each(poisoned)("are inert: %s answers 400 and changes nothing", async (_, payload) => {
      const { app, targets, before } = await bodyTargets();
      for (const { id, method, path } of targets) {
        const answer = await call(app, { method, path, payload, headers: { "content-type": "application/json" } });
        expect(answer.status, id).toBe(400);
      }
      expect(stateOf(app)).toBe(before);
    });

    it("never reach the stored objects", async () => {
      const app = await startMock();
      await call(app, {
        method: "POST",
        path: "/contact",
        payload: '{"__proto__":{"polluted":"yes"}}',
        headers: { "content-type": "application/json" },
      });
      for (const contact of app.store.snapshot().contacts) {
        expect((contact as Record<string, unknown>).polluted).toBeUndefined();
      }
    });
  });

  describe("odd paths and query strings", () => {
    it.each([
      ["bad percent-encoding in an id", "/contact/%ff"],
      ["a NUL byte in an id", "/contact/%00"],
      ["an encoded slash in an id", "/contact/a%2Fb"],
      ["a 2,000-character id", `/contact/${"a".repeat(2000)}`],
      ["a 5,000-character id", `/chat/${"a".repeat(5000)}/message`],
      ["an id of spaces", "/team/%20%20%20"],
    ])("%s answers 400", async (_, path) => {
      const app = await startMock();
      const answer = await call(app, { path });
      expect(answer.status).toBe(400);
    });

    it("a 100,000-character id answers 400, unless a request head that long is refused before the mock", async () => {
      const app = await startMock();
      const path = `/chat/${"a".repeat(100_000)}`;
      if (headLimit === undefined) {
        expect((await call(app, { path })).status).toBe(400);
        return;
      }
      // Over HTTP, Node's parser refuses a request head over its limit (16 KiB) before the engine sees it;
      // the server answers 431 in the spec's Error shape all the same, and carries on.
      expect(path.length).toBeGreaterThan(headLimit);
      const refused = await app.inject({ url: `${PUBLIC_PREFIX}${path}` });
      expect(refused.statusCode).toBe(431);
      expect(refused.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(refused.json()).toMatchObject({ code: "headers_too_large", message: expect.stringContaining("16 KiB") });
      expect((await call(app, { path: "/workspace" })).status).toBe(200);
    });

    it.each([
      ["page[]=1", "page[]"],
      ["limit[]=5&limit[]=6", "limit[]"],
      ["page[x]=1", "page[x]"],
      ["__proto__[polluted]=yes", "__proto__[polluted]"],
      ["constructor[prototype][polluted]=yes", "constructor[prototype][polluted]"],
    ])("?%s answers 400 naming the parameter it does not know", async (query, name) => {
      const app = await startMock();
      const answer = await call(app, { path: `/contact?${query}` });
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toMatchObject({ details: [{ in: "query", field: name }] });
    });

    it.each([
      ["/contact?pgae=2"],
      ["/workspace?verbose=1"],
      ["/chat?__proto__=1"],
      ["/team?constructor=1"],
      ["/contact?a%2Fb=1"],
      ["/contact?_=1732412345"],
    ])(
      "%s answers 200: a plain query parameter the operation does not have is ignored, as the spec allows",
      async (path) => {
        const app = await startMock();
        const answer = await call(app, { path });
        expect(answer.status).toBe(200);
        expect(Object.prototype).not.toHaveProperty("polluted");
      },
    );

    it("?=1 (a parameter with no name) is ignored like any other unknown parameter", async () => {
      const app = await startMock();
      const answer = await call(app, { path: "/contact?=1" });
      expect(answer.status).toBe(200);
    });

    it("?page=1&page=2 (a repeated parameter) answers 400 naming it", async () => {
      const app = await startMock();
      const answer = await call(app, { path: "/contact?page=1&page=2" });
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toMatchObject({ details: [{ in: "query", field: "page" }] });
    });

    it("?limit=%ff (bad percent-encoding in a value) answers 400", async () => {
      const app = await startMock();
      expect((await call(app, { path: "/contact?limit=%ff" })).status).toBe(400);
    });

    it("a trailing slash reaches the same operation", async () => {
      const app = await startMock();
      const answer = await call(app, { path: "/contact/" });
      expect(answer.status).toBe(200);
      expect(answer.operation?.id).toBe("listContacts");
    });
  });

  describe("a request no operation answers", () => {
    it.each([
      ["an unknown path under the API", `${PUBLIC_PREFIX}/nope`],
      ["an unknown nested path", `${PUBLIC_PREFIX}/contact/search/more`],
      ["an unknown version", "/public/v2/contact"],
      ["the root", "/"],
      ["a path outside the API", "/favicon.ico"],
    ])("at %s answers 404 not_found", async (_, path) => {
      const app = await startMock();
      const answer = await call(app, { path, raw: true });
      expect(answer.status).toBe(404);
      expect(errorOf(answer).code).toBe("not_found");
    });

    const allowed = (template: string) =>
      operations
        .filter((op) => op.path === template)
        .map((op) => op.method.toUpperCase())
        .sort();

    it.each([
      ["PATCH", "/contact", "/contact"],
      ["DELETE", "/contact", "/contact"],
      ["PUT", "/workspace", "/workspace"],
      ["POST", "/workspace/me", "/workspace/me"],
      ["PATCH", "/contact/{contactId}", "/contact/00000000-0000-4000-8000-000000000001"],
      ["POST", "/contact/{contactId}", "/contact/00000000-0000-4000-8000-000000000001"],
      ["PUT", "/chat", "/chat"],
      ["PATCH", "/chat/{chatId}", "/chat/00000000-0000-4000-8000-000000000001"],
      ["DELETE", "/chat/{chatId}/message", "/chat/00000000-0000-4000-8000-000000000001/message"],
      ["PUT", "/chat/{chatId}/message/{messageId}", "/chat/x/message/y"],
      ["POST", "/team", "/team"],
      ["DELETE", "/team/{memberId}", "/team/00000000-0000-4000-8000-000000000001"],
      ["OPTIONS", "/contact", "/contact"],
    ])("%s %s answers 405 with Allow listing the spec's methods", async (method, template, path) => {
      const app = await startMock();
      const answer = await call(app, { method, path });
      expect(answer.status).toBe(405);
      expect(errorOf(answer).code).toBe("method_not_allowed");
      const allow = String(answer.headers.allow ?? "")
        .split(",")
        .map((m) => m.trim())
        .sort();
      expect(allow).toEqual(allowed(template));
    });

    it("HEAD on a known path answers 405 with Allow, and no body", async () => {
      const app = await startMock();
      const answer = await call(app, { method: "HEAD", path: "/contact" });
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBeDefined();
    });

    it("answers 404 or 405 without asking for a key", async () => {
      const app = await startMock();
      expect((await call(app, { path: "/nope", key: null })).status).toBe(404);
      expect((await call(app, { method: "PATCH", path: "/contact", key: null })).status).toBe(405);
    });
  });

  describe("a request the spec refuses", () => {
    it("names every failing field at once", async () => {
      const app = await startMock();
      const answer = await call(app, {
        method: "POST",
        path: "/contact",
        json: { email: "not-an-email", ip: "999.1.1.1", origin: "not a url", name: 3 },
      });
      expect(answer.status).toBe(400);
      expect(
        errorOf(answer)
          .details?.map((d) => d.field)
          .sort(),
      ).toEqual(["/email", "/ip", "/name", "/origin"]);
    });

    it("names the senders when a chat or message names none", async () => {
      const app = await startMock();
      const f = fixtureOf(app);
      for (const [path, json] of [
        ["/chat", { channel: f.liveChatChannel, message: "hi" }],
        [`/chat/${f.chat}/message`, { message: "hi" }],
      ] as const) {
        const answer = await call(app, { method: "POST", path, json });
        expect(answer.status).toBe(400);
        expect(errorOf(answer).message).toMatch(/agent, bot, contact/);
      }
    });

    it.each([
      ["chatflow 2", { chatflow: 2 }],
      ['chatflow "1" (a string)', { chatflow: "1" }],
      ["an empty message", { message: "" }],
      ["a malformed channel id", { channel: "nope" }],
    ])("refuses a chat with %s (400)", async (_, change) => {
      const app = await startMock();
      const f = fixtureOf(app);
      const json = { channel: f.liveChatChannel, message: "hi", agent: f.agent, ...change };
      expect((await call(app, { method: "POST", path: "/chat", json })).status).toBe(400);
    });

    it("refuses a chat title that is not a string or null, and a PUT with no title", async () => {
      const app = await startMock();
      const path = `/chat/${fixtureOf(app).chat}`;
      expect((await call(app, { method: "PUT", path, json: { title: 5 } })).status).toBe(400);
      expect((await call(app, { method: "PUT", path, json: {} })).status).toBe(400);
    });
  });
});
