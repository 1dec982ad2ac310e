/**
 * Helpers of the route tests: a fresh mock per test, and `call`, which injects a request and fails the test
 * unless the answer conforms to the spec. The operation is found by method and path, as a client would
 * mean it; a request no operation answers (unknown route, wrong method) must get the spec's Error body.
 * No 5xx is ever acceptable here: faults are off, so a 5xx is a bug in the mock.
 */
import type { Readable } from "node:stream";
import { expect } from "vitest";
import { closeObjects, createAjv } from "../../lib/ajv.ts";
import { createOperationMatcher } from "../../lib/match-operation.ts";
import { createResponseValidator } from "../../lib/response-validator.ts";
import { listOperations, type Operation, type OperationId, publicSpec } from "../../lib/spec.ts";
import { buildMockServer, type InjectOptions, type MockServer } from "../app.ts";
import { type MockOptions, PUBLIC_PREFIX } from "../mock-options.ts";
import type { SeedSizes } from "../store/seed.ts";
import type { StateSnapshot } from "../store/types.ts";
import { guid, SMALL_SEED, sequentialIds, steppingClock } from "./store-fixtures.ts";

export { PUBLIC_PREFIX };
export const API_KEY = "route-test-key";
export const operations = listOperations();
export const UNKNOWN_ID = guid(999, "eeee");

export function operation(id: OperationId): Operation {
  const found = operations.find((op) => op.id === id);
  if (!found) throw new Error(`the spec has no operation ${id}`);
  return found;
}

/** The options of a test's mock: small seeded data, a fixed clock and sequential new ids, fresh each call. */
export function testOptions(sizes: Partial<SeedSizes> = {}, options: Partial<MockOptions> = {}): Partial<MockOptions> {
  return {
    apiKeys: [API_KEY],
    seed: { ...SMALL_SEED, ...sizes },
    now: steppingClock(),
    newId: sequentialIds(),
    ...options,
  };
}

/** A mock with small seeded data, a fixed clock and sequential new ids: the same every time. */
export function startMock(sizes: Partial<SeedSizes> = {}, options: Partial<MockOptions> = {}): Promise<MockServer> {
  return buildMockServer(testOptions(sizes, options));
}

/** Ids of seeded objects a test can use. */
export interface Fixture {
  state: StateSnapshot;
  contact: { guid: string; email: string };
  chat: string;
  message: string;
  member: string;
  agent: string;
  bot: string;
  liveChatChannel: string;
}

export function fixtureOf(app: Pick<MockServer, "store">): Fixture {
  const state = app.store.snapshot();
  const contact = state.contacts.find((c) => c.email !== null);
  const chat = state.chats[0];
  const message = state.messages.find((m) => m.chat === chat?.guid);
  const member = state.team[1];
  const bot = state.bots[0];
  const liveChat = state.channels.find((c) => c.type === "LiveChatWeb");
  if (!contact?.email || !chat || !message || !member || !bot || !liveChat) throw new Error("seed too small");
  return {
    state,
    contact: { guid: contact.guid, email: contact.email },
    chat: chat.guid,
    message: message.guid,
    member: member.guid,
    agent: member.guid,
    bot: bot.guid,
    liveChatChannel: liveChat.guid,
  };
}

export interface Request {
  path: string;
  json?: unknown;
}

/** A request each operation answers with 200, on the seeded data. */
export const happy: Record<OperationId, (f: Fixture) => Request> = {
  getWorkspace: () => ({ path: "/workspace" }),
  getWorkspaceOwner: () => ({ path: "/workspace/me" }),
  listContacts: () => ({ path: "/contact" }),
  searchContacts: (f) => ({ path: `/contact/search?email=${encodeURIComponent(f.contact.email)}` }),
  getContact: (f) => ({ path: `/contact/${f.contact.guid}` }),
  createContact: () => ({ path: "/contact", json: { name: "Nora New", email: "nora.new@example.com" } }),
  updateContact: (f) => ({ path: `/contact/${f.contact.guid}`, json: { phone: "+61 400 000 000" } }),
  deleteContact: (f) => ({ path: `/contact/${f.contact.guid}` }),
  listChats: () => ({ path: "/chat" }),
  getChat: (f) => ({ path: `/chat/${f.chat}` }),
  createChat: (f) => ({ path: "/chat", json: { channel: f.liveChatChannel, message: "Hello", agent: f.agent } }),
  updateChat: (f) => ({ path: `/chat/${f.chat}`, json: { title: "Renamed" } }),
  deleteChat: (f) => ({ path: `/chat/${f.chat}` }),
  listChatMessages: (f) => ({ path: `/chat/${f.chat}/message` }),
  getChatMessage: (f) => ({ path: `/chat/${f.chat}/message/${f.message}` }),
  createChatMessage: (f) => ({ path: `/chat/${f.chat}/message`, json: { message: "Hi", bot: f.bot } }),
  listTeamMembers: () => ({ path: "/team" }),
  getTeamMember: (f) => ({ path: `/team/${f.member}` }),
};

export interface Call {
  method?: string;
  /** Path under the public prefix (`/contact`), with its query string if any; or a full path (`/x`) with `raw`. */
  path: string;
  /** The path is sent as it is, without the public prefix. */
  raw?: boolean;
  /** The API key to send; the accepted key unless given, none when null. */
  key?: string | null;
  headers?: Record<string, string>;
  /** A JSON body (sent as application/json). */
  json?: unknown;
  /** A raw body, with the content type from `headers`; a stream may stall (see conformance's 408). */
  payload?: string | Buffer | Readable;
}

export interface Answer<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
  body: T;
  /** The operation the request was judged against, when one matches its method and path. */
  operation: Operation | undefined;
}

const validateResponse = createResponseValidator("strict");
const closed = createAjv([{ id: "closed.json", doc: closeObjects(publicSpec) }]);
const validateError = closed.compile({ $ref: "closed.json#/components/schemas/Error" });

const matcher = createOperationMatcher(operations, PUBLIC_PREFIX);

/**
 * The operation a method and URL name in the spec, if any (a literal segment wins over a parameter). The
 * path is taken as an HTTP client sends it: `inject` and fetch resolve dot segments, so `/chat/.` is a
 * request for `/chat/` (listChats), not getChat with the id ".".
 */
export function operationFor(method: string, url: string): Operation | undefined {
  return matcher.match(method, new URL(url, "http://mock.invalid").pathname).operation;
}

/** Checks that a body is the spec's Error shape, with no undocumented property. */
export function expectErrorBody(body: unknown, what: string): void {
  const ok = validateError(body);
  expect(ok ? [] : validateError.errors, `${what}: the body is not the spec's Error`).toEqual([]);
}

const shorten = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/**
 * Injects a request and checks the answer against the spec (strict: no undocumented properties). `app` is
 * a mock, or anything with its `inject` (transports.ts: the same over HTTP or through the fetch adapter).
 */
export async function call<T = unknown>(app: Pick<MockServer, "inject">, request: Call): Promise<Answer<T>> {
  const method = (request.method ?? "GET").toUpperCase();
  const url = request.raw ? request.path : `${PUBLIC_PREFIX}${request.path}`;
  const headers: Record<string, string> = { ...request.headers };
  const key = request.key === undefined ? API_KEY : request.key;
  if (key !== null) headers["x-api-key"] = key;
  let payload = request.payload;
  if (request.json !== undefined) {
    payload = JSON.stringify(request.json);
    headers["content-type"] ??= "application/json";
  }
  const response = await app.inject({
    method: method as InjectOptions["method"],
    url,
    headers,
    ...(payload === undefined ? {} : { payload }),
  });
  const what = `${method} ${shorten(url)} answered ${response.statusCode} ${shorten(response.body)}`;
  expect(response.statusCode, `${what}: a 5xx is a bug in the mock`).toBeLessThan(500);

  const op = operationFor(method, url);
  const contentType = response.headers["content-type"] as string | undefined;
  let body: unknown;
  if (op) {
    const verdict = validateResponse(op, {
      status: response.statusCode,
      contentType,
      headers: response.headers as Record<string, string>,
      text: response.body,
    });
    expect(verdict.problems, `${what}: not as the spec documents ${op.id}`).toEqual([]);
    body = verdict.body;
  } else if (method === "HEAD") {
    // No operation answers HEAD, and a HEAD answer has no body to check.
    expect(response.body).toBe("");
  } else {
    expect(contentType?.split(";")[0], what).toBe("application/json");
    body = JSON.parse(response.body);
    expectErrorBody(body, what);
  }
  if (response.statusCode >= 400 && method !== "HEAD") expectErrorBody(body, what);
  return {
    status: response.statusCode,
    headers: response.headers,
    text: response.body,
    body: body as T,
    operation: op,
  };
}

/** The error body of an answer (after `call` has checked its shape). */
export const errorOf = (answer: Answer) =>
  answer.body as { code: string; message: string; details?: { in: string; field: string; message: string }[] };
