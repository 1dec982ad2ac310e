/**
 * Helpers of the behaviour tests (Prefer, faults, CORS): a valid request for any operation, built from the
 * spec's own examples; `send`, which injects a request and fails the test unless the answer conforms
 * to the spec for that operation (documented status, JSON, valid body, required headers); and
 * `sendWaiting`, which reads the delay a request asks of a manual scheduler instead of timing it.
 */
import type { oas31 } from "openapi3-ts";
import { expect } from "vitest";
import { createResponseValidator } from "../../lib/response-validator.ts";
import { listOperations, type Operation, type OperationId, publicSpec, resolve } from "../../lib/spec.ts";
import type { InjectOptions, MockServer } from "../app.ts";
import { DEFAULT_API_KEY, PUBLIC_PREFIX } from "../mock-options.ts";
import type { ManualScheduler } from "../scheduler.ts";

export const operations = listOperations();
export const operation = (id: OperationId): Operation => {
  const found = operations.find((op) => op.id === id);
  if (!found) throw new Error(`no operation ${id}`);
  return found;
};

const validate = createResponseValidator("strict");
export const KEY = { "x-api-key": DEFAULT_API_KEY };

/** A request the spec accepts for `op`: parameters and body are the spec's examples. */
export function validRequest(op: Operation, headers: Record<string, string> = {}): InjectOptions {
  let path = op.path;
  const query: Record<string, string> = {};
  for (const param of op.parameters) {
    const value = String(param.example ?? "");
    if (param.in === "path") path = path.replace(`{${param.name}}`, encodeURIComponent(value));
    if (param.in === "query" && param.required) query[param.name] = value;
  }
  const body = op.requestBody ? resolve<oas31.SchemaObject>(publicSpec, op.requestBody.schema).example : undefined;
  return {
    method: op.method.toUpperCase() as "GET",
    url: `${PUBLIC_PREFIX}${path}`,
    query,
    headers: { ...KEY, ...headers },
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: unknown;
}

/** Injects `request` and checks the answer against the spec for `op`; returns status, headers and parsed body. */
export async function send(app: MockServer, op: Operation, request: InjectOptions): Promise<Answer> {
  const response = await app.inject(request);
  const verdict = validate(op, {
    status: response.statusCode,
    contentType: response.headers["content-type"] as string | undefined,
    headers: response.headers as Record<string, string>,
    text: response.body,
  });
  expect(verdict.problems, `${op.id} answered ${response.statusCode}: ${response.body}`).toEqual([]);
  return { status: response.statusCode, headers: response.headers, body: verdict.body };
}

/**
 * Sends a request whose answer should wait on the mock's manual scheduler: returns the delay it asked for
 * and the answer, which must not come a millisecond before that delay has passed. Fails at once when the
 * request is answered without waiting.
 */
export async function sendWaiting(
  app: MockServer,
  scheduler: ManualScheduler,
  op: Operation,
  request: InjectOptions,
): Promise<{ waitedMs: number; answer: Answer }> {
  const asked = scheduler.nextTimer();
  const sent = send(app, op, request);
  const waitedMs = await Promise.race([
    asked,
    sent.then((answer) => Promise.reject(new Error(`answered ${answer.status} without waiting`))),
  ]);
  scheduler.advance(waitedMs - 1);
  expect(scheduler.pending, "the answer's timer fired before its time").toBe(1);
  scheduler.advance(1);
  return { waitedMs, answer: await sent };
}
