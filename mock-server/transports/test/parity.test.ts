/**
 * Parity: the HTTP server and the fetch adapter are two doors to one engine, so the same requests, in the
 * same order, to two fresh mocks on the same seed (fixed clock, ids and scheduler) get the same answers:
 * the same status, the same headers and the same body, byte for byte; and leave the same journal and
 * the same state. One mock listens on 127.0.0.1 (a free port) and is reached with the global fetch; the
 * other is `createMockFetch`'s fetch, with the HTTP one's URL as its base URL, so even the URLs are equal.
 *
 * The requests: one answered 2xx for every operation of the spec (so a new operation fails here until it
 * has one), bad input of every kind (bad JSON, a body that is not JSON, over 1 MiB, poisoned keys, odd
 * ids and queries, unknown routes, wrong methods, no key, a 400 naming fields, a 409, sender rules),
 * Prefer, CORS, and the admin API (fixtures, journal, state, reset, its own 404 and 405; its CORS headers
 * are the HTTP server's own, and left out).
 */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listOperations, type Operation, type OperationId } from "../../../lib/spec.ts";
import { buildMockServer, type MockServer } from "../../app.ts";
import { BODY_LIMIT, type MockOptions } from "../../mock-options.ts";
import { ManualScheduler } from "../../scheduler.ts";
import { API_KEY, type Fixture, fixtureOf, happy, operationFor } from "../../test/helpers.ts";
import { SMALL_SEED, sequentialIds } from "../../test/store-fixtures.ts";
import { createMockFetch, type MockFetch } from "../fetch.ts";

/**
 * Headers that belong to the socket, not to the answer: the HTTP server's Node adds them to every
 * response (the time it was written, and whether the connection stays open and for how long); a fetch
 * with no socket has no connection to speak of. `transfer-encoding` would be Node's framing of a body of
 * unknown length (the server sets `content-length` on every answer, so it is not expected either).
 */
const SOCKET_HEADERS = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

/**
 * The same fixed start for both: ids of their own, a clock that does not move, a scheduler that does not
 * either. (A clock that steps at each read would not do: the fetch adapter's event log reads it to stamp
 * each event, so its store's later stamps run ahead of the server's, which keeps no events.)
 */
const options = (): Partial<MockOptions> => ({
  apiKeys: [API_KEY],
  seed: SMALL_SEED,
  now: () => NOW,
  newId: sequentialIds(),
  // Journal durations are read from the scheduler: 0 for both with a clock that does not move.
  scheduler: new ManualScheduler(),
});

interface Step {
  /** What the request is, in failure messages. */
  what: string;
  method: string;
  /** Path and query from the origin: `/public/v1/contact?page=2`, `/__admin/fixtures`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The status both must answer (the bad-input tests say why; here it keeps the table honest). */
  status: number;
}

const PUBLIC = "/public/v1";
const NOW = "2026-02-01T00:00:00.000Z";
const key = { "x-api-key": API_KEY };
const jsonType = { "content-type": "application/json" };

/** A request as a row: status, what, method, path, then headers and a body if any. */
const row = (
  status: number,
  what: string,
  method: string,
  path: string,
  headers?: Record<string, string>,
  body?: string,
): Step => ({
  status,
  what,
  method,
  path,
  ...(headers ? { headers } : {}),
  ...(body === undefined ? {} : { body }),
});
/** The same, with the key and a JSON body. */
const withJson = (status: number, what: string, method: string, path: string, value: unknown): Step =>
  row(status, what, method, path, { ...key, ...jsonType }, JSON.stringify(value));

const operations = listOperations();
const methodOf = (id: OperationId) => (operations.find((op) => op.id === id) as Operation).method.toUpperCase();

/** One request per operation of the spec, answered 200 (helpers' `happy` table, typed by operationId), deletes last. */
function everyOperation(f: Fixture): Step[] {
  const ids = operations.map((op) => op.id);
  const ordered = [...ids.filter((id) => methodOf(id) !== "DELETE"), ...ids.filter((id) => methodOf(id) === "DELETE")];
  return ordered.map((id) => {
    const { path, json } = happy[id](f);
    const url = `${PUBLIC}${path}`;
    return json === undefined ? row(200, id, methodOf(id), url, key) : withJson(200, id, methodOf(id), url, json);
  });
}

/** The email of a seeded contact other than the fixture's. */
function otherEmail(f: Fixture): string {
  const other = f.state.contacts.find((c) => c.email !== null && c.guid !== f.contact.guid);
  if (!other?.email) throw new Error("the seed has one contact with an email: make it larger");
  return other.email;
}

function badInput(f: Fixture): Step[] {
  const contacts = `${PUBLIC}/contact`;
  const post = (status: number, what: string, body: string, contentType = "application/json") =>
    row(status, what, "POST", contacts, { ...key, "content-type": contentType }, body);
  const get = (status: number, what: string, path: string) => row(status, what, "GET", `${PUBLIC}${path}`, key);
  const chat = { channel: f.liveChatChannel, message: "hi" };
  const unknown = (n: number) => `00000000-0000-4000-8000-000000000${n}`;
  return [
    post(400, "bad JSON", "{"),
    post(400, "JSON that is not an object", "[1]"),
    post(400, "an empty JSON body", ""),
    row(400, "no body", "POST", contacts, key),
    post(415, "a text/plain body", "name=x", "text/plain"),
    post(415, "a form body", "name=x", "application/x-www-form-urlencoded"),
    post(415, "a malformed content type", "{}", "json"),
    post(413, "a body over 1 MiB", JSON.stringify({ name: "x".repeat(BODY_LIMIT) })),
    post(400, "a __proto__ key", '{"name":"x","__proto__":{"polluted":"yes"}}'),
    post(400, "a constructor.prototype key", '{"name":"x","constructor":{"prototype":{"polluted":"yes"}}}'),
    post(400, "fields the spec refuses, each named", JSON.stringify({ email: "nope", ip: "999.1.1.1", name: 3 })),
    post(400, "a property the spec does not know", JSON.stringify({ name: "x", nickname: "y" })),
    post(409, "another contact's email in upper case", JSON.stringify({ email: f.contact.email.toUpperCase() })),
    withJson(409, "an update to another contact's email", "PUT", `${contacts}/${f.contact.guid}`, {
      email: otherEmail(f),
    }),
    row(401, "no API key", "GET", contacts),
    row(401, "a wrong API key", "GET", contacts, { "x-api-key": "wrong" }),
    row(401, "no key, and a body that is not JSON", "POST", contacts, { "content-type": "text/plain" }, "x"),
    get(404, "an unknown path under the API", "/nope"),
    row(404, "an unknown version", "GET", "/public/v2/contact", key),
    row(404, "a path outside the API", "GET", "/favicon.ico"),
    row(404, "the root", "GET", "/"),
    row(405, "PATCH on a list", "PATCH", contacts, key),
    withJson(405, "POST on a read-only path", "POST", `${PUBLIC}/workspace/me`, {}),
    row(405, "DELETE of a chat's messages", "DELETE", `${PUBLIC}/chat/${f.chat}/message`, key),
    row(405, "HEAD on a known path (no body)", "HEAD", contacts, key),
    row(405, "OPTIONS that is not a preflight", "OPTIONS", contacts, key),
    get(400, "a malformed id", "/contact/not-a-guid"),
    get(400, "bad percent-encoding in an id", "/contact/%ff"),
    get(400, "a NUL byte in an id", "/contact/%00"),
    get(400, "an encoded slash in an id", "/contact/a%2Fb"),
    get(400, "a 2,000-character id", `/contact/${"a".repeat(2000)}`),
    get(404, "an unknown id", `/chat/${unknown(999)}`),
    get(400, "bad paging values, both named", "/contact?page=0&limit=abc"),
    get(400, "a repeated parameter", "/contact?page=1&page=2"),
    get(400, "an unknown bracketed parameter", "/contact?__proto__[polluted]=yes"),
    get(400, "a search without email", "/contact/search"),
    get(200, "a trailing slash", "/contact/?limit=2"),
    withJson(400, "a chat with no sender", "POST", `${PUBLIC}/chat`, chat),
    withJson(400, "a chat with unknown references", "POST", `${PUBLIC}/chat`, {
      ...chat,
      channel: unknown(998),
      bot: unknown(997),
    }),
    withJson(400, "a chat title that is a number", "PUT", `${PUBLIC}/chat/${f.chat}`, { title: 5 }),
    withJson(200, "a chat title reset with null", "PUT", `${PUBLIC}/chat/${f.chat}`, { title: null }),
  ];
}

function preferAndCors(f: Fixture): Step[] {
  const origin = { origin: "https://app.example" };
  const workspace = `${PUBLIC}/workspace`;
  return [
    row(404, "Prefer: code=404", "GET", `${PUBLIC}/contact/${f.contact.guid}`, { ...key, prefer: "code=404" }),
    row(429, "Prefer: code=429", "GET", workspace, { ...key, prefer: "code=429" }),
    row(400, "Prefer: an unknown example", "GET", workspace, { ...key, prefer: "example=huge" }),
    row(
      200,
      "Prefer: code=200 on a create",
      "POST",
      `${PUBLIC}/contact`,
      { ...key, ...jsonType, prefer: "code=200" },
      "{}",
    ),
    row(204, "a CORS preflight", "OPTIONS", `${PUBLIC}/contact`, {
      ...origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "x-api-key, content-type",
    }),
    row(200, "a request from another origin", "GET", workspace, { ...key, ...origin }),
    row(401, "a 401 from another origin", "GET", workspace, origin),
  ];
}

const adminBefore = (): Step[] => [
  row(200, "the fixtures", "GET", "/__admin/fixtures"),
  row(404, "an unknown admin route", "GET", "/__admin/nope"),
];

const adminAfter = (): Step[] => [
  row(405, "a wrong method on an admin route", "PATCH", "/__admin/reset"),
  row(400, "a reset with sizes the admin spec refuses", "POST", "/__admin/reset", jsonType, '{"contacts":-1}'),
  row(400, "an import that is not a state", "PUT", "/__admin/state", jsonType, '{"contacts":[]}'),
  row(200, "the state", "GET", "/__admin/state"),
  row(200, "the journal", "GET", "/__admin/requests"),
  // JSON with no body: the HTTP server refuses an admin write a web page could have sent (http-guard.ts).
  row(200, "a reset", "POST", "/__admin/reset", jsonType),
];

/** What one answer was, as bytes and comparable headers. */
interface Seen {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * CORS under `/__admin` is the HTTP server's own (engine/stages/http-guard.ts: `--admin-cors` origins only),
 * which the in-process transports leave as the public API's: those headers of admin answers are not
 * compared (the security tests check them).
 */
const isCorsHeader = (name: string) => name === "vary" || name.startsWith("access-control-");

/** Headers iterates names sorted and in lower case, so two maps made by it compare as text. */
async function seen(response: Response, admin: boolean): Promise<Seen> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!SOCKET_HEADERS.has(name) && !(admin && isCorsHeader(name))) headers[name] = value;
  });
  return { status: response.status, headers, body: new Uint8Array(await response.arrayBuffer()) };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

let server: MockServer;
let origin: string;
let mock: MockFetch;
let steps: Step[];

beforeAll(async () => {
  // The journal stamps each entry with the wall clock (Date.now()): frozen, for both mocks. Durations, a
  // refused body's included, are read on the mock's scheduler, which options() fixes.
  vi.useFakeTimers({ toFake: ["Date"], now: new Date(NOW) });
  server = await buildMockServer(options());
  origin = await server.listen({ port: 0, host: "127.0.0.1" });
  mock = createMockFetch({ ...options(), baseUrl: `${origin}${PUBLIC}` });
  const f = fixtureOf(server);
  steps = [
    ...preferAndCors(f),
    ...badInput(f),
    ...adminBefore(),
    ...everyOperation(f),
    ...adminAfter(),
    // After the reset, on the seeded data again.
    ...everyOperation(fixtureOf(server)),
    row(200, "the journal again", "GET", "/__admin/requests"),
    row(200, "the state again", "GET", "/__admin/state"),
  ];
});

afterAll(async () => {
  vi.useRealTimers();
  await Promise.all([server?.close(), mock?.close()]);
});

describe("the HTTP server and the fetch adapter, on the same seed", () => {
  it("start from the same state", () => {
    expect(JSON.stringify(mock.store.snapshot())).toBe(JSON.stringify(server.store.snapshot()));
    expect((server.server.address() as AddressInfo).address).toBe("127.0.0.1");
  });

  it("answer every request of the list with the same status, headers and body bytes, in order", async () => {
    const differences: string[] = [];
    for (const [index, step] of steps.entries()) {
      const init = {
        method: step.method,
        headers: step.headers ?? {},
        ...(step.body === undefined ? {} : { body: step.body }),
      };
      const admin = step.path.startsWith("/__admin");
      const overHttp = await seen(await fetch(`${origin}${step.path}`, init), admin);
      const inProcess = await seen(await mock.fetch(`${origin}${step.path}`, init), admin);
      const name = `#${index} ${step.method} ${step.path.slice(0, 80)} (${step.what})`;
      if (overHttp.status !== step.status || inProcess.status !== step.status) {
        differences.push(
          `${name}: status ${overHttp.status} over HTTP, ${inProcess.status} in process, not ${step.status}`,
        );
      }
      if (JSON.stringify(overHttp.headers) !== JSON.stringify(inProcess.headers)) {
        differences.push(
          `${name}: headers ${JSON.stringify(overHttp.headers)} over HTTP, ${JSON.stringify(inProcess.headers)} in process`,
        );
      }
      if (Buffer.compare(overHttp.body, inProcess.body) !== 0) {
        differences.push(
          `${name}: body ${text(overHttp.body).slice(0, 200)} over HTTP, ${text(inProcess.body).slice(0, 200)} in process`,
        );
      }
    }
    expect(differences).toEqual([]);
  });

  it("leave the same journal and the same state", () => {
    expect(JSON.stringify(mock.engine.journal.list())).toBe(JSON.stringify(server.journal.list()));
    expect(JSON.stringify(mock.store.snapshot())).toBe(JSON.stringify(server.store.snapshot()));
  });

  it("were asked every operation of the spec, each answered 2xx", () => {
    const answered = new Set(
      server.journal
        .list()
        .data.filter((entry) => entry.status < 300)
        .map((entry) => entry.operationId),
    );
    expect(operations.map((op) => op.id).filter((id) => !answered.has(id))).toEqual([]);
    // The list reaches each of them through the spec's matcher, not through a name typed again here.
    for (const step of everyOperation(fixtureOf(server))) {
      expect(operationFor(step.method, step.path)?.id).toBe(step.what);
      expect(step.status).toBe(200);
    }
  });
});
