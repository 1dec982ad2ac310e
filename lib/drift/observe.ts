/**
 * What a response body says about the spec's schemas: for every object in it that the spec names
 * (reached through a `$ref` to `#/components/schemas/X`), which of X's properties it had and which
 * properties it had that X does not document. Pure: a body and a schema in, observations out.
 */
import type { oas31 } from "openapi3-ts";
import { isRef, publicSpec, resolve } from "../spec.ts";

export interface SchemaObservation {
  /** How many objects of this schema were seen. */
  objects: number;
  /** Documented properties returned, with how many times. */
  returned: Record<string, number>;
  /** Undocumented properties returned, with how many times. */
  undocumented: Record<string, number>;
}

export type Observations = Record<string, SchemaObservation>;

const SCHEMA_REF = "#/components/schemas/";

/** Adds what `body` shows about the schemas under `schema` to `into` (and returns it). */
export function observe(
  schema: oas31.SchemaObject | oas31.ReferenceObject,
  body: unknown,
  into: Observations = {},
  doc: oas31.OpenAPIObject = publicSpec,
): Observations {
  walk(schema, body, undefined);
  return into;

  function walk(node: oas31.SchemaObject | oas31.ReferenceObject, value: unknown, name: string | undefined): void {
    if (isRef(node)) {
      const named = node.$ref.startsWith(SCHEMA_REF) ? node.$ref.slice(SCHEMA_REF.length) : name;
      walk(resolve<oas31.SchemaObject>(doc, node), value, named);
      return;
    }
    for (const branch of [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])])
      walk(branch, value, name);
    if (Array.isArray(value)) {
      if (node.items) for (const item of value) walk(node.items, item, undefined);
      return;
    }
    if (typeof value !== "object" || value === null || !node.properties) return;
    const record = value as Record<string, unknown>;
    if (name) {
      const seen = entry(into, name);
      seen.objects++;
      for (const key of Object.keys(record)) {
        const bucket = key in node.properties ? seen.returned : seen.undocumented;
        bucket[key] = (bucket[key] ?? 0) + 1;
      }
    }
    for (const [key, child] of Object.entries(node.properties)) {
      if (key in record) walk(child, record[key], undefined);
    }
  }
}

export function mergeObservations(into: Observations, from: Observations): Observations {
  for (const [name, seen] of Object.entries(from)) {
    const target = entry(into, name);
    target.objects += seen.objects;
    for (const [key, n] of Object.entries(seen.returned)) target.returned[key] = (target.returned[key] ?? 0) + n;
    for (const [key, n] of Object.entries(seen.undocumented)) {
      target.undocumented[key] = (target.undocumented[key] ?? 0) + n;
    }
  }
  return into;
}

function entry(observations: Observations, name: string): SchemaObservation {
  let seen = observations[name];
  if (!seen) {
    seen = { objects: 0, returned: {}, undocumented: {} };
    observations[name] = seen;
  }
  return seen;
}
