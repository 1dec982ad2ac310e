/** The schema → arbitrary deriver: its valid values pass the schema, its invalid ones fail it, for every schema. */
import fc from "fast-check";
import type { oas31 } from "openapi3-ts";
import { describe, expect, it } from "vitest";
import { publicSpec } from "../../lib/spec.ts";
import { createDeriver } from "../fuzz/arbitraries.ts";

const deriver = createDeriver();
const schemas = Object.keys(publicSpec.components?.schemas ?? {}).map((name) => ({
  name,
  ref: { $ref: `#/components/schemas/${name}` } as oas31.ReferenceObject,
}));

describe.each(schemas)("the arbitraries of $name", ({ ref }) => {
  it("make only values the schema accepts", () => {
    fc.assert(
      fc.property(deriver.valid(ref), (value) => deriver.accepts(ref, value)),
      { numRuns: 100 },
    );
  });

  it("make only values the schema rejects", () => {
    fc.assert(
      fc.property(deriver.invalid(ref), (value) => !deriver.accepts(ref, value)),
      { numRuns: 100 },
    );
  });
});

describe("the deriver", () => {
  it("keeps at least one of the anyOf branches in a valid ChatCreate, and none in some invalid ones", () => {
    const ref = { $ref: "#/components/schemas/ChatCreate" };
    for (const value of fc.sample(deriver.valid(ref), 100) as Record<string, unknown>[]) {
      expect(["agent", "bot", "contact"].some((k) => k in value)).toBe(true);
    }
    const invalid = fc.sample(deriver.invalid(ref), 300) as unknown[];
    expect(
      invalid.some(
        (v) =>
          typeof v === "object" && v !== null && "channel" in v && !["agent", "bot", "contact"].some((k) => k in v),
      ),
    ).toBe(true);
  });

  it("breaks an object in the properties its schema constrains, never in one it leaves open (an override's body)", () => {
    const doc = {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      components: {
        schemas: {
          Override: {
            type: "object",
            properties: { body: {}, status: { type: "integer", minimum: 100 } },
            required: ["status"],
          },
        },
      },
    } as oas31.OpenAPIObject;
    const open = createDeriver({ doc });
    const ref = { $ref: "#/components/schemas/Override" };
    // Drawing many was what failed: a draw that picked `body` threw "No invalid value can be derived".
    fc.assert(
      fc.property(open.invalid(ref), (value) => !open.accepts(ref, value)),
      { numRuns: 300 },
    );
  });

  it("mixes pooled ids into strings of a pooled name", () => {
    const pooled = createDeriver({ pools: { agent: ["2e4a6c8f-0b2d-4d6f-8a1c-3e5a7c9e1b3d"] } });
    const values = fc.sample(pooled.valid({ $ref: "#/components/schemas/Guid" }, "agent"), 100);
    expect(values).toContain("2e4a6c8f-0b2d-4d6f-8a1c-3e5a7c9e1b3d");
  });

  it('reads parameters as text when asked: "5" is an integer there, "abc" is not', () => {
    const limit = { type: "integer", minimum: 1, maximum: 100 } as oas31.SchemaObject;
    expect(deriver.accepts(limit, "5", true)).toBe(true);
    expect(deriver.accepts(limit, "abc", true)).toBe(false);
    expect(deriver.accepts(limit, "5")).toBe(false);
  });
});
