/**
 * One way to make Ajv instances that understand our bundled specs: JSON Schema 2020-12 (what OpenAPI 3.1
 * uses), formats, OpenAPI's extra keywords known, and each spec registered under an id so that a schema
 * can point into it (`openapi.json#/components/schemas/Contact`).
 */
import { Ajv2020, type Options } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { oas31 } from "openapi3-ts";

// ajv-formats ships CommonJS with a default export; under NodeNext it arrives wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

/** Keywords OpenAPI allows in a schema that are not JSON Schema validation keywords. */
const openApiKeywords = ["example", "discriminator", "xml", "externalDocs", "x-inferred"];

export interface SpecDocument {
  /** The id schemas use to point into it: `${id}#/components/schemas/X`. */
  id: string;
  doc: oas31.OpenAPIObject;
}

export function createAjv(documents: SpecDocument[], options: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    // An OpenAPI document around the schemas has keywords Ajv does not know (openapi, paths, ...).
    strict: true,
    strictSchema: false,
    strictRequired: false,
    allowUnionTypes: true,
    ...options,
  });
  addFormats(ajv);
  ajv.addVocabulary(openApiKeywords);
  for (const { id, doc } of documents) {
    // An OpenAPI document is no schema, but Ajv only ever compiles the fragments that are pointed at.
    ajv.addSchema(doc as object, id, undefined, false);
  }
  return ajv;
}

/** The `$ref` that points at a component or inline schema of a document registered under `id`. */
export function refInto(id: string, schema: oas31.SchemaObject | oas31.ReferenceObject): oas31.SchemaObject {
  if ("$ref" in schema && typeof schema.$ref === "string" && schema.$ref.startsWith("#")) {
    return { $ref: `${id}${schema.$ref}` };
  }
  return rebase(id, schema) as oas31.SchemaObject;
}

/** Rewrites the local `$ref`s of an inline schema so they resolve against document `id`. */
function rebase(id: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => rebase(id, v));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#") ? `${id}${v}` : rebase(id, v);
  }
  return out;
}

/**
 * A copy of a spec in which every object schema that lists its properties allows no others: how the
 * mock is held to "no undocumented properties" without the spec itself forbidding the live API to grow.
 */
export function closeObjects<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => closeObjects(v)) as T;
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = closeObjects(v);
  if (
    out.type === "object" &&
    typeof out.properties === "object" &&
    !("additionalProperties" in out) &&
    !("allOf" in out)
  ) {
    out.additionalProperties = false;
  }
  return out as T;
}
