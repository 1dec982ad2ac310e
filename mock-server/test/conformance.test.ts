/**
 * Every response the mock sends conforms to the spec, for every operation: each status the spec documents
 * for it (but those only faults produce: 429 and 5xx, see faults.test.ts) is provoked and checked in
 * strict mode by `call`; and a stream of random requests, good and bad, gets nothing but documented
 * answers and no 5xx.
 */
import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Operation } from "../../lib/spec.ts";
import { BODY_LIMIT } from "../mock-options.ts";
import { type Call, call, type Fixture, fixtureOf, happy, operations, startMock, UNKNOWN_ID } from "./helpers.ts";

/** How long the mocks here wait for a body that stops arriving (the 408s). */
const BODY_TIMEOUT_MS = 50;

/** A body that sends `start` and then stalls, never ending. */
function stalledBody(start: string): Readable {
  const body = new Readable({ read() {} });
  body.push(start);
  return body;
}

/** Statuses only fault injection or a rate limit produce; they are covered with the behaviour switches. */
const FAULTS_ONLY = new Set(["429", "default", "500", "503"]);

/** The happy path of `op` with its path ids (all, or only the last) replaced. */
function withIds(op: Operation, f: Fixture, replacement: string, which: "all" | "last" = "all"): string {
  const ids = [f.contact.guid, f.chat, f.message, f.member];
  const segments = happy[op.id](f).path.split("/");
  const positions = segments.flatMap((s, i) => (ids.includes(s) ? [i] : []));
  for (const i of which === "all" ? positions : positions.slice(-1)) segments[i] = replacement;
  return segments.join("/");
}

/** A request that makes `op` answer `status`, or undefined when the operation cannot be made to. */
function provoke(op: Operation, status: string, f: Fixture): Call | undefined {
  const method = op.method.toUpperCase();
  const request = happy[op.id](f);
  const takesBody = op.requestBody !== null;
  switch (status) {
    case "200":
      return { method, ...request };
    case "400": {
      if (takesBody) return { method, path: request.path, json: [] };
      if (op.path.includes("{")) return { method, path: withIds(op, f, "not-a-guid") };
      const separator = request.path.includes("?") ? "&" : "?";
      return { method, path: `${request.path}${separator}page=0` };
    }
    case "401":
      return { method, ...request, key: null };
    case "404":
      return op.path.includes("{") ? { method, ...request, path: withIds(op, f, UNKNOWN_ID, "last") } : undefined;
    case "409": {
      const other = f.state.contacts.find((c) => c.guid !== f.contact.guid && c.email !== null);
      return { method, path: request.path, json: { email: other?.email?.toUpperCase() } };
    }
    case "408":
      // A body that stops arriving: 10 of the 100 bytes its Content-Length announces, then nothing.
      return {
        method,
        path: request.path,
        payload: stalledBody('{"name": "'),
        headers: { "content-type": "application/json", "content-length": "100" },
      };
    case "413":
      return { method, path: request.path, json: { message: "x".repeat(BODY_LIMIT) } };
    case "415":
      return { method, path: request.path, payload: "hello", headers: { "content-type": "text/plain" } };
    default:
      return undefined;
  }
}

describe("every operation", () => {
  it.each(operations.map((op) => [op.id, op] as const))(
    "%s answers each status the spec documents for it as the spec says, and its failures change nothing",
    async (_, op) => {
      const documented = [...op.responses.keys()].filter((status) => !FAULTS_ONLY.has(status));
      expect(documented).toContain("200");
      // The failures first (they change nothing), the 200 last (a DELETE's would change the 404 after it).
      const ordered = [...documented.filter((status) => status !== "200"), "200"];
      const app = await startMock({}, { bodyTimeoutMs: BODY_TIMEOUT_MS });
      const f = fixtureOf(app);
      const before = JSON.stringify(app.store.snapshot());
      for (const status of ordered) {
        // Every failing request so far has changed nothing.
        if (status === "200") expect(JSON.stringify(app.store.snapshot())).toBe(before);
        const request = provoke(op, status, f);
        expect(request, `no way to provoke ${status} from ${op.id}: add one to provoke()`).toBeDefined();
        if (!request) continue;
        const answer = await call(app, request);
        expect(answer.status, `${op.id} ${status}`).toBe(Number(status));
        expect(answer.operation?.id).toBe(op.id);
      }
    },
  );

  it("answers with JSON, except DELETE's empty 200", async () => {
    const app = await startMock();
    const f = fixtureOf(app);
    for (const op of operations) {
      if (op.id === "deleteContact" || op.id === "deleteChat") continue;
      const answer = await call(app, { method: op.method, ...happy[op.id](f) });
      expect(String(answer.headers["content-type"]), op.id).toMatch(/^application\/json/);
    }
  });
});

describe("a stream of random requests", () => {
  it("gets only answers the spec documents (or the Error body for unknown routes), and never a 5xx", async () => {
    const app = await startMock();
    const f = fixtureOf(app);
    const segment = fc.oneof(
      fc.constantFrom(
        f.contact.guid,
        f.chat,
        f.message,
        f.member,
        f.bot,
        UNKNOWN_ID,
        "search",
        "message",
        "%ff",
        "%00",
        "..",
        "",
      ),
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
    );
    const template = fc.constantFrom(...operations.map((op) => op.path));
    const path = fc.tuple(template, fc.array(segment, { minLength: 3, maxLength: 3 })).map(([t, [a, b, c]]) =>
      t
        .replace("{contactId}", a ?? "")
        .replace("{chatId}", b ?? "")
        .replace(/\{\w+\}/, c ?? ""),
    );
    const query = fc.oneof(
      fc.constant(""),
      fc
        .array(
          fc.tuple(
            fc.constantFrom("page", "limit", "email", "page[]", "__proto__", "x"),
            fc.oneof(
              fc.integer({ min: -5, max: 150 }).map(String),
              fc.constantFrom("", "abc", "1.5", "a@b.co", "%ff", "Infinity", "0x10", "1e1", "-0", "%20"),
            ),
          ),
          { maxLength: 3 },
        )
        .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`),
    );
    const json = fc.oneof(
      fc.constant(undefined),
      fc.jsonValue({ maxDepth: 2 }),
      fc.record(
        {
          name: fc.oneof(fc.string(), fc.constant(null)),
          email: fc.oneof(fc.emailAddress(), fc.constant(f.contact.email.toUpperCase()), fc.string()),
          channel: fc.constantFrom(f.liveChatChannel, UNKNOWN_ID, "x"),
          message: fc.string({ maxLength: 20 }),
          agent: fc.constantFrom(f.agent, UNKNOWN_ID),
          bot: fc.constantFrom(f.bot, UNKNOWN_ID),
          contact: fc.constantFrom(f.contact.guid, UNKNOWN_ID),
          title: fc.oneof(fc.string(), fc.constant(null)),
          chatflow: fc.constantFrom(0, 1, 2, "1"),
        },
        { requiredKeys: [] },
      ),
    );
    const request = fc.record({
      method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
      path,
      query,
      json,
      key: fc.constantFrom(undefined, undefined, undefined, null, "wrong"),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const answer = await call(app, {
          method: r.method,
          path: `${r.path}${r.query}`,
          ...(r.json === undefined ? {} : { json: r.json }),
          ...(r.key === undefined ? {} : { key: r.key }),
        });
        expect(answer.status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    // And the mock still answers after all of it.
    expect((await call(app, { path: "/workspace" })).status).toBe(200);
  });
});
