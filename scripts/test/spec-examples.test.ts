/**
 * Every example in the specs validates against its own schema, strictly (no property the schema does not
 * list): examples are what Prism, the docs page and `Prefer: code=` serve, so a wrong one misleads.
 */
import type { oas31 } from "openapi3-ts";
import { describe, expect, it } from "vitest";
import { closeObjects, createAjv, refInto } from "../../lib/ajv.ts";
import { adminSpec, publicSpec } from "../../lib/spec.ts";

interface Example {
  where: string;
  schema: oas31.SchemaObject | oas31.ReferenceObject;
  value: unknown;
}

/** Walks a document for every `example` that stands beside a schema it is an example of. */
function examplesOf(doc: oas31.OpenAPIObject): Example[] {
  const found: Example[] = [];
  const visit = (node: unknown, where: string) => {
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    if ("example" in record && where.includes("/components/schemas/") && !("in" in record)) {
      // A schema's own example (schemas here: only at the top of a component).
      if (/\/components\/schemas\/[^/]+$/.test(where))
        found.push({ where, schema: record as oas31.SchemaObject, value: record.example });
    } else if ("example" in record && "schema" in record) {
      // A media type, parameter or header example, with the schema beside it.
      found.push({ where, schema: record.schema as oas31.SchemaObject, value: record.example });
    }
    for (const [k, v] of Object.entries(record)) if (k !== "example") visit(v, `${where}/${k}`);
  };
  visit(doc, "#");
  return found;
}

describe.each([
  ["the public spec", publicSpec],
  ["the admin spec", adminSpec],
] as const)("%s", (_, doc) => {
  const ajv = createAjv([{ id: "doc.json", doc: closeObjects(doc) }]);
  const examples = examplesOf(doc);

  it("has examples to check", () => {
    expect(examples.length).toBeGreaterThan(doc === publicSpec ? 20 : 0);
  });

  it.each(examples.map((e) => [e.where, e] as const))("%s validates against its schema", (_, example) => {
    const { example: _own, ...schema } = example.schema as Record<string, unknown>;
    const validate = ajv.compile(refInto("doc.json", schema as oas31.SchemaObject));
    const ok = validate(example.value);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(ok).toBe(true);
  });
});
