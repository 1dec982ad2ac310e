/**
 * The checks Schemathesis runs, for every operation of the spec (the list comes from the spec itself):
 * valid data accepted; invalid data rejected with 400; a missing or wrong `x-api-key` is 401; after a
 * DELETE the resource is 404 (use after free); after a POST it can be read (resource availability);
 * an undocumented method is 405. No 5xx, and the status, content type and body of every response
 * conform: the checker judges each one (support/checker.ts).
 */
import type { oas31 } from "openapi3-ts";
import { describe, expect, type TestContext } from "vitest";
import { listOperations, type Operation, publicSpec, resolve } from "../../lib/spec.ts";
import { examples, prepareResources, type Resources, writes } from "../support/examples.ts";
import { matchOperation } from "../support/match-operation.ts";
import { openTarget, type RawRequest } from "../support/target.ts";
import { contractTest, type Need, need } from "../support/tests.ts";

const target = await openTarget("conformance");
const test = contractTest(target);
const operations = listOperations();
const needsOf = (op: Operation, ...more: Need[]): Need[] => [...(writes(op) ? (["writes"] as Need[]) : []), ...more];

const resources = async (ctx: TestContext): Promise<Resources> => {
  const prepared = await prepareResources(target);
  return need(ctx, typeof prepared === "string" ? undefined : prepared, String(prepared));
};

/** The path of `op` with its parameters from `params`, one replaced. */
const pathOf = (op: Operation, params: Record<string, string>) =>
  op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""));

/** Deliberately broken copies of a valid request: one part of it breaks the spec in each. */
function invalidVariants(op: Operation, valid: RawRequest): { what: string; request: RawRequest }[] {
  const variants: { what: string; request: RawRequest }[] = [];
  const { params } = matchOperation(valid.method, valid.path);
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

describe.each(operations.map((op) => ({ op, name: `${op.method.toUpperCase()} ${op.path}` })))("$name", ({ op }) => {
  test("accepts valid data with a documented 2xx", needsOf(op), async (ctx) => {
    const r = await resources(ctx);
    const response = await target.request(examples[op.id](r, target));
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(300);
  });

  test("rejects invalid data with 400, naming what is wrong", needsOf(op, "invalid"), async (ctx) => {
    const r = await resources(ctx);
    const variants = invalidVariants(op, examples[op.id](r, target));
    need(ctx, variants.length > 0 ? true : undefined, "the operation has no parameter and no body to break");
    for (const { what, request } of variants) {
      const response = await target.request(request);
      expect(response.status, what).toBe(400);
      expect((response.json as { details?: unknown[] }).details?.length, what).toBeGreaterThan(0);
    }
  });

  test("answers 401 without x-api-key and with a wrong one", needsOf(op, "invalid"), async (ctx) => {
    const valid = examples[op.id](await resources(ctx), target);
    for (const key of ["missing", { wrong: "ciq-contract-not-a-key" }] as const) {
      const response = await target.request({ ...valid, key });
      expect(response.status, JSON.stringify(key)).toBe(401);
      expect(response.json).toMatchObject({ code: "unauthorized" });
    }
  });

  if (op.method === "delete") {
    const under = operations.filter((o) => o.path.startsWith(op.path));
    test(
      `makes ${under.map((o) => o.id).join(", ")} answer 404 afterwards (use after free)`,
      ["writes"],
      async (ctx) => {
        const r = await resources(ctx);
        expect((await target.request(examples[op.id](r, target))).status).toBe(200);
        for (const other of under) {
          const response = await target.request(examples[other.id](r, target));
          expect(response.status, other.id).toBe(404);
        }
      },
    );
  }

  const reader = operations.find(
    (o) => o.method === "get" && /^\/\{[^}]+\}$/.test(o.path.slice(op.path.length)) && o.path.startsWith(op.path),
  );
  if (op.method === "post" && reader) {
    test(`makes what it created readable by ${reader.id} (resource availability)`, ["writes"], async (ctx) => {
      const r = await resources(ctx);
      const created = await target.request(examples[op.id](r, target));
      expect(created.status).toBe(200);
      const guid = (created.json as { guid: string }).guid;
      const read = await target.request({ method: "GET", path: `${examples[op.id](r, target).path}/${guid}` });
      expect(read.status).toBe(200);
      expect(read.json).toEqual(created.json);
    });
  }
});

const paths = [...new Set(operations.map((op) => op.path))];
describe.each(paths)("the path %s", (path) => {
  const documented = operations.filter((op) => op.path === path).map((op) => op.method.toUpperCase());
  const others = ["GET", "POST", "PUT", "DELETE", "PATCH"].filter((m) => !documented.includes(m));
  test(
    `answers 405 with Allow: ${documented.join(", ")} to ${others.join(", ")}`,
    ["writes", "invalid"],
    async (ctx) => {
      const r = await resources(ctx);
      const sample = operations.find((op) => op.path === path) as Operation;
      const { path: concrete } = examples[sample.id](r, target);
      for (const method of others) {
        const response = await target.request({ method, path: concrete, ...(method === "GET" ? {} : { body: {} }) });
        expect(response.status, method).toBe(405);
        expect(response.headers.allow?.split(/,\s*/).sort()).toEqual([...documented].sort());
      }
    },
  );
});

test("answers 404 with the Error body for a path the API does not have", ["invalid"], async () => {
  const response = await target.request({ method: "GET", path: "/no-such-thing" });
  expect(response.status).toBe(404);
  expect(response.json).toMatchObject({ code: "not_found" });
});
