/**
 * The checks Schemathesis runs, as functions of a target, an operation and what exists on the target
 * (examples.ts): the conformance suite runs them for every operation, and the mutation tests run them
 * against mocks that are wrong on purpose. Each throws when the target breaks the rule. No 5xx and the
 * conformance of every response are the checker's job (support/checker.ts), on every request they send.
 */
import type { oas31 } from "openapi3-ts";
import { expect } from "vitest";
import { createOperationMatcher } from "../../lib/match-operation.ts";
import { listOperations, type Operation, publicSpec, resolve } from "../../lib/spec.ts";
import { examples, type Resources } from "../support/examples.ts";
import type { RawRequest, Target } from "../support/target.ts";

const operations = listOperations();
const matcher = createOperationMatcher(operations);

/** The path of `op` with its parameters from `params`, one replaced. */
const pathOf = (op: Operation, params: Record<string, string>) =>
  op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""));

/** Deliberately broken copies of a valid request: one part of it breaks the spec in each. */
export function invalidVariants(op: Operation, valid: RawRequest): { what: string; request: RawRequest }[] {
  const variants: { what: string; request: RawRequest }[] = [];
  const { params } = matcher.match(valid.method, valid.path);
  const query = typeof valid.query === "object" ? valid.query : {};
  for (const p of op.parameters) {
    const schema = resolve<oas31.SchemaObject>(publicSpec, p.schema ?? {});
    if (p.in === "path") {
      variants.push({
        what: `path parameter ${p.name} "not-a-guid"`,
        request: { ...valid, path: pathOf(op, { ...params, [p.name]: "not-a-guid" }) },
      });
    } else if (p.in === "query") {
      const bad: string[] =
        schema.type === "integer" ? ["abc", "1.5"] : schema.format === "email" ? ["not-an-email"] : [];
      if (typeof schema.minimum === "number") bad.push(String(schema.minimum - 1));
      if (typeof schema.maximum === "number") bad.push(String(schema.maximum + 1));
      for (const value of bad)
        variants.push({
          what: `query ${p.name}=${value}`,
          request: { ...valid, query: { ...query, [p.name]: value } },
        });
      if (p.required) {
        const { [p.name]: _, ...rest } = query;
        variants.push({ what: `no query ${p.name} (required)`, request: { ...valid, query: rest } });
      }
    }
  }
  if (op.requestBody) {
    const body = (valid.body ?? {}) as Record<string, unknown>;
    const schema = resolve<oas31.SchemaObject>(publicSpec, op.requestBody.schema);
    variants.push({
      what: "an undocumented body property",
      request: { ...valid, body: { ...body, undocumented_field: 1 } },
    });
    variants.push({ what: "a body that is an array", request: { ...valid, body: [body] } });
    for (const name of schema.required ?? []) {
      const { [name]: _, ...rest } = body;
      variants.push({ what: `a body without ${name} (required)`, request: { ...valid, body: rest } });
    }
  }
  return variants;
}

/** Valid data is accepted: a 2xx. */
export async function acceptsValidData(target: Target, op: Operation, r: Resources): Promise<void> {
  const response = await target.request(examples[op.id](r, target));
  expect(response.status, `${op.id} with valid data`).toBeGreaterThanOrEqual(200);
  expect(response.status, `${op.id} with valid data`).toBeLessThan(300);
}

/** Invalid data is rejected: 400 with details, for each broken copy of a valid request. Returns how many. */
export async function rejectsInvalidData(target: Target, op: Operation, r: Resources): Promise<number> {
  const variants = invalidVariants(op, examples[op.id](r, target));
  for (const { what, request } of variants) {
    const response = await target.request(request);
    expect(response.status, `${op.id} with ${what}`).toBe(400);
    expect((response.json as { details?: unknown[] }).details?.length, what).toBeGreaterThan(0);
  }
  return variants.length;
}

/** A missing or wrong x-api-key is 401 with the `unauthorized` error. */
export async function requiresApiKey(target: Target, op: Operation, r: Resources): Promise<void> {
  const valid = examples[op.id](r, target);
  for (const key of ["missing", { wrong: "ciq-contract-not-a-key" }] as const) {
    const response = await target.request({ ...valid, key });
    expect(response.status, `${op.id} with x-api-key ${JSON.stringify(key)}`).toBe(401);
    expect(response.json).toMatchObject({ code: "unauthorized" });
  }
}

/** The operations on what a DELETE removes (its path and the paths under it). */
export const operationsUnder = (op: Operation): Operation[] => operations.filter((o) => o.path.startsWith(op.path));

/** Use after free: after the DELETE succeeds, every operation on what it removed is 404. */
export async function useAfterFree(target: Target, op: Operation, r: Resources): Promise<void> {
  expect((await target.request(examples[op.id](r, target))).status, op.id).toBe(200);
  for (const other of operationsUnder(op)) {
    const response = await target.request(examples[other.id](r, target));
    expect(response.status, `${other.id} after ${op.id}`).toBe(404);
  }
}

/** The GET that reads one of what a POST creates (`/contact` → `/contact/{contactId}`). */
export const readerOf = (op: Operation): Operation | undefined =>
  operations.find(
    (o) => o.method === "get" && o.path.startsWith(op.path) && /^\/\{[^}]+\}$/.test(o.path.slice(op.path.length)),
  );

/** Resource availability: what a POST created reads back the same. */
export async function resourceAvailability(target: Target, op: Operation, r: Resources): Promise<void> {
  const request = examples[op.id](r, target);
  const created = await target.request(request);
  expect(created.status, op.id).toBe(200);
  const guid = (created.json as { guid: string }).guid;
  const read = await target.request({ method: "GET", path: `${request.path}/${guid}` });
  expect(read.status, `reading what ${op.id} created`).toBe(200);
  expect(read.json).toEqual(created.json);
}

/** A method the spec does not document on a path is 405, with Allow listing the documented ones. */
export async function methodNotAllowed(target: Target, path: string, r: Resources): Promise<void> {
  const documented = operations.filter((op) => op.path === path).map((op) => op.method.toUpperCase());
  const sample = operations.find((op) => op.path === path) as Operation;
  const { path: concrete } = examples[sample.id](r, target);
  for (const method of ["GET", "POST", "PUT", "DELETE", "PATCH"].filter((m) => !documented.includes(m))) {
    const response = await target.request({ method, path: concrete, ...(method === "GET" ? {} : { body: {} }) });
    expect(response.status, `${method} ${path}`).toBe(405);
    expect(response.headers.allow?.split(/,\s*/).sort()).toEqual([...documented].sort());
  }
}
