/**
 * Every operation of the spec, as a table of method x path x expected status: the happy path, no key,
 * a wrong key, an unknown id and a malformed id. Each row runs against a fresh mock, and every answer is
 * checked against the spec by `call`. All of it through both doors to the mock (transports.ts): its HTTP
 * server over a socket, and its fetch adapter in process.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { OperationId } from "../../lib/spec.ts";
import { call, type Fixture, fixtureOf, happy, operation, operations, type Request, UNKNOWN_ID } from "./helpers.ts";
import { closeMocks, TRANSPORTS } from "./transports.ts";

/** The happy request with each id of its path replaced: `unknown` ids must be 404, malformed ones 400. */
function withIds(f: Fixture, id: OperationId, replacement: string, which: "all" | "last" = "all"): Request {
  const request = happy[id](f);
  const ids = [f.contact.guid, f.chat, f.message, f.member];
  const segments = request.path.split("/");
  const positions = segments.flatMap((s, i) => (ids.includes(s) ? [i] : []));
  const replace = which === "all" ? positions : positions.slice(-1);
  for (const i of replace) segments[i] = replacement;
  return { ...request, path: segments.join("/") };
}

type Row = [method: string, template: string, when: string, status: number, id: OperationId];
const rows: Row[] = operations.flatMap((op): Row[] => {
  const method = op.method.toUpperCase();
  const hasIds = op.path.includes("{");
  const base = (when: string, status: number): Row => [method, op.path, when, status, op.id];
  return [
    base("with a valid key", 200),
    base("without a key", 401),
    base("with a wrong key", 401),
    ...(hasIds ? [base("with an unknown id", 404), base("with a malformed id", 400)] : []),
    ...(op.path.split("{").length > 2 ? [base("with an unknown last id in a known parent", 404)] : []),
  ];
});

function requestFor(f: Fixture, id: OperationId, when: string): Request & { key?: string | null } {
  switch (when) {
    case "without a key":
      return { ...happy[id](f), key: null };
    case "with a wrong key":
      return { ...happy[id](f), key: "not-the-key" };
    case "with an unknown id":
      return withIds(f, id, UNKNOWN_ID);
    case "with an unknown last id in a known parent":
      return withIds(f, id, UNKNOWN_ID, "last");
    case "with a malformed id":
      return withIds(f, id, "not-a-guid");
    default:
      return happy[id](f);
  }
}

afterEach(closeMocks);

describe.each(TRANSPORTS.map((t) => [t.name, t] as const))("through %s", (_, { start: startMock }) => {
  describe("the routes", () => {
    it("have a happy request for every operation of the spec, and no other", () => {
      expect(Object.keys(happy).sort()).toEqual(operations.map((op) => op.id).sort());
    });

    it.each(rows)("%s %s %s answers %i", async (method, _template, when, status, id) => {
      const app = await startMock();
      const answer = await call(app, { method, ...requestFor(fixtureOf(app), id, when) });
      expect(answer.status).toBe(status);
      expect(answer.operation?.id).toBe(id);
    });
  });

  describe("the answers", () => {
    it("to a 401 name the x-api-key header, and never echo the key", async () => {
      const app = await startMock();
      const answer = await call(app, { path: "/workspace", key: "s3cret-wrong-key" });
      expect(answer.body).toMatchObject({ code: "unauthorized", details: [{ in: "header", field: "x-api-key" }] });
      expect(answer.text).not.toContain("s3cret-wrong-key");
    });

    it("to a 404 say which kind of object and which id", async () => {
      const app = await startMock();
      const answer = await call(app, { path: `/chat/${UNKNOWN_ID}` });
      expect(answer.body).toMatchObject({ code: "not_found" });
      expect((answer.body as { message: string }).message).toMatch(/chat/);
      expect((answer.body as { message: string }).message).toContain(UNKNOWN_ID);
    });

    it("to a malformed id name the path parameter", async () => {
      const app = await startMock();
      const answer = await call(app, { path: "/chat/not-a-guid/message" });
      expect(answer.body).toMatchObject({
        code: "invalid_request",
        details: [{ in: "path", field: "chatId", message: expect.stringContaining("uuid") }],
      });
    });

    it("to DELETE are 200 with an empty body, and the object is gone", async () => {
      const app = await startMock();
      const f = fixtureOf(app);
      for (const path of [`/contact/${f.contact.guid}`, `/chat/${f.chat}`]) {
        const deleted = await call(app, { method: "DELETE", path });
        expect(deleted.status).toBe(200);
        expect(deleted.text).toBe("");
        expect((await call(app, { path })).status).toBe(404);
      }
    });

    it("are valid for a key given with --api-key among several", async () => {
      const app = await startMock();
      expect((await call(app, { path: "/workspace", key: "route-test-key" })).status).toBe(200);
      // (A key with a space after it cannot be sent: HTTP and fetch's Headers both trim a value's spaces.)
      expect((await call(app, { path: "/workspace", key: "route-test-key2" })).status).toBe(401);
      expect((await call(app, { path: "/workspace", key: "" })).status).toBe(401);
    });

    it("are specific to the operation: the owner is the workspace's owner and a team member", async () => {
      const app = await startMock();
      const workspace = await call<{ owner: string }>(app, { path: "/workspace" });
      const owner = await call<{ guid: string }>(app, { path: "/workspace/me" });
      expect(owner.body.guid).toBe(workspace.body.owner);
      expect((await call(app, { path: `/team/${owner.body.guid}` })).status).toBe(200);
    });

    it("to getChatMessage are 404 for a message of another chat", async () => {
      const app = await startMock();
      const { state } = fixtureOf(app);
      const [first, second] = state.chats;
      const other = state.messages.find((m) => m.chat === second?.guid);
      const answer = await call(app, { path: `/chat/${first?.guid}/message/${other?.guid}` });
      expect(answer.status).toBe(404);
      expect(operation("getChatMessage").id).toBe(answer.operation?.id);
    });
  });
});
