/**
 * The checks Schemathesis runs, for every operation of the spec (the list comes from the spec itself):
 * valid data accepted; invalid data rejected with 400; a missing or wrong `x-api-key` is 401; after a
 * DELETE the resource is 404 (use after free); after a POST it can be read (resource availability);
 * an undocumented method is 405. No 5xx, and the status, content type and body of every response
 * conform: the checker judges each one (support/checker.ts). The checks live in checks/conformance.ts.
 */
import { describe, expect, type TestContext } from "vitest";
import { listOperations, type Operation } from "../../lib/spec.ts";
import {
  acceptsValidData,
  methodNotAllowed,
  operationsUnder,
  readerOf,
  rejectsInvalidData,
  requiresApiKey,
  resourceAvailability,
  useAfterFree,
} from "../checks/conformance.ts";
import { prepareResources, type Resources, writes } from "../support/examples.ts";
import { openTarget } from "../support/target.ts";
import { contractTest, type Need, need } from "../support/tests.ts";

const target = await openTarget("conformance");
const test = contractTest(target);
const operations = listOperations();
const needsOf = (op: Operation, ...more: Need[]): Need[] => [...(writes(op) ? (["writes"] as Need[]) : []), ...more];

const resources = async (ctx: TestContext): Promise<Resources> => {
  const prepared = await prepareResources(target);
  return need(ctx, typeof prepared === "string" ? undefined : prepared, String(prepared));
};

for (const op of operations)
  describe(`${op.id} (${op.method.toUpperCase()} ${op.path})`, () => {
    test("accepts valid data with a documented 2xx", needsOf(op), async (ctx) => {
      await acceptsValidData(target, op, await resources(ctx));
    });

    if (op.parameters.length > 0 || op.requestBody) {
      test("rejects invalid data with 400, naming what is wrong", needsOf(op, "invalid"), async (ctx) => {
        expect(await rejectsInvalidData(target, op, await resources(ctx))).toBeGreaterThan(0);
      });
    }

    test("answers 401 without x-api-key and with a wrong one", needsOf(op, "invalid"), async (ctx) => {
      await requiresApiKey(target, op, await resources(ctx));
    });

    if (op.method === "delete") {
      const under = operationsUnder(op).map((o) => o.id);
      test(`makes ${under.join(", ")} answer 404 afterwards (use after free)`, ["writes"], async (ctx) => {
        await useAfterFree(target, op, await resources(ctx));
      });
    }

    const reader = readerOf(op);
    if (op.method === "post" && reader) {
      test(`makes what it created readable by ${reader.id} (resource availability)`, ["writes"], async (ctx) => {
        await resourceAvailability(target, op, await resources(ctx));
      });
    }
  });

describe.each([...new Set(operations.map((op) => op.path))])("the path %s", (path) => {
  test("answers 405 with Allow to every method the spec does not document", ["writes", "invalid"], async (ctx) => {
    await methodNotAllowed(target, path, await resources(ctx));
  });
});

test("answers 404 with the Error body for a path the API does not have", ["invalid"], async () => {
  const response = await target.request({ method: "GET", path: "/no-such-thing" });
  expect(response.status).toBe(404);
  expect(response.json).toMatchObject({ code: "not_found" });
});
