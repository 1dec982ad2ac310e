/**
 * Helpers of the admin API's tests: `admin` injects a request to `/__admin` and fails the test unless the
 * answer conforms to the admin spec (documented status, JSON, body valid with no undocumented property);
 * `publicGet` does the same for the public API, so ids from the fixtures are checked against the real thing.
 *
 * An exported state is the one exception to the strict check: its chats are `allOf: [Chat, {custom_title}]`,
 * which closing each object schema cannot express, so it is checked openly and then for undocumented
 * fields by the same function that guards imports.
 */
import { expect } from "vitest";
import { createResponseValidator } from "../../lib/response-validator.ts";
import { adminSpec, listOperations, publicSpec } from "../../lib/spec.ts";
import { undocumentedFields } from "../admin/validation.ts";
import type { InjectOptions, MockServer } from "../app.ts";
import { DEFAULT_API_KEY, PUBLIC_PREFIX } from "../mock-options.ts";
import type { Fixtures, StateSnapshot } from "../store/types.ts";

const adminOperations = listOperations(adminSpec);
const publicOperations = listOperations(publicSpec);
const validateAdmin = createResponseValidator("strict", adminSpec);
const validateAdminOpenly = createResponseValidator("tolerant", adminSpec);
const validatePublic = createResponseValidator("strict", publicSpec);

/** Small sizes: fast to seed, big enough to page through. */
export const SMALL = { seed: 7, contacts: 12, chats: 4, team: 3, channels: 5, bots: 2 };

export interface Answer<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: T;
  text: string;
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

/** A request to the admin API whose answer must conform to the admin spec. */
export async function admin<T = unknown>(
  app: MockServer,
  method: Method,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const op = adminOperations.find((o) => o.method === method.toLowerCase() && o.path === path);
  if (!op) throw new Error(`the admin spec has no ${method} ${path}`);
  // Operation ids are typed as the public API's; this one is the admin spec's.
  const exporting = (op.id as string) === "exportState";
  const answer = await check<T>(app, exporting ? validateAdminOpenly : validateAdmin, op, {
    method,
    url: path,
    // A write is sent as JSON even with no body, as a client that is no web page sends it (http-guard.ts).
    headers: { ...(method === "GET" ? {} : { "content-type": "application/json" }), ...options.headers },
    ...(options.body === undefined ? {} : { payload: options.body as Record<string, unknown> }),
  });
  if (exporting && answer.status === 200) {
    expect(undocumentedFields(answer.body as StateSnapshot)).toEqual([]);
  }
  return answer;
}

/** A GET of the public API (with the default key) whose answer must conform to the public spec. */
export async function publicGet<T = unknown>(app: MockServer, path: string): Promise<Answer<T>> {
  const template = path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "{id}");
  const op = publicOperations.find((o) => o.method === "get" && o.path.replace(/\{[^}]+\}/g, "{id}") === template);
  if (!op) throw new Error(`the public spec has no GET ${path}`);
  return check(app, validatePublic, op, {
    method: "GET",
    url: `${PUBLIC_PREFIX}${path}`,
    headers: { "x-api-key": DEFAULT_API_KEY },
  });
}

async function check<T>(
  app: MockServer,
  validate: ReturnType<typeof createResponseValidator>,
  op: (typeof adminOperations)[number],
  request: InjectOptions,
): Promise<Answer<T>> {
  const response = await app.inject(request);
  const verdict = validate(op, {
    status: response.statusCode,
    contentType: response.headers["content-type"] as string | undefined,
    headers: response.headers as Record<string, string>,
    text: response.body,
  });
  expect(verdict.problems, `${op.id} answered ${response.statusCode}: ${response.body.slice(0, 500)}`).toEqual([]);
  return { status: response.statusCode, headers: response.headers, body: verdict.body as T, text: response.body };
}

export const fixtures = async (app: MockServer) => (await admin<Fixtures>(app, "GET", "/__admin/fixtures")).body;
export const exportState = async (app: MockServer) => (await admin<StateSnapshot>(app, "GET", "/__admin/state")).body;
