/**
 * Integer parameters are written in decimal digits. Ajv's type coercion reads a query string with
 * JavaScript's `Number()`, so it would take `0x10` as 16, `1e1` as 10, `" 5"` as 5, and `Infinity` as a
 * number that then slips past `minimum` and `maximum` (and answers `"limit": null`). This check runs first
 * and refuses those, with the error Ajv gives for a value that is not an integer; and digits past
 * `Number.MAX_SAFE_INTEGER`, which `Number()` would round (`page=100000000000000000000000000` was echoed as
 * `"page": 1e+26`), with the error of a `maximum`.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import type { oas31 } from "openapi3-ts";
import { pointer } from "../../lib/spec.ts";

const DECIMAL_INTEGER = /^-?\d+$/;

/** A parameters validator: the errors found, or undefined when the parameters pass. */
export type ParametersCheck = (data: unknown) => ErrorObject[] | undefined;

/** The names of the properties of a parameters schema whose schema (followed through `$ref`) is an integer. */
function integerProperties(schema: oas31.SchemaObject, doc: oas31.OpenAPIObject, id: string): string[] {
  const resolve = (s: unknown): oas31.SchemaObject => {
    const ref = (s as { $ref?: unknown }).$ref;
    return typeof ref === "string" && ref.startsWith(`${id}#`)
      ? resolve(pointer(doc, ref.slice(id.length)))
      : (s as oas31.SchemaObject);
  };
  return Object.entries(schema.properties ?? {})
    .filter(([, property]) => resolve(property).type === "integer")
    .map(([name]) => name);
}

/** Wraps the validator of a parameters schema so that an integer written otherwise than in digits is refused. */
export function withDecimalIntegers(
  validate: ValidateFunction,
  schema: oas31.SchemaObject,
  doc: oas31.OpenAPIObject,
  id: string,
): ParametersCheck {
  const integers = integerProperties(schema, doc, id);
  const plain: ParametersCheck = (data) => (validate(data) ? undefined : (validate.errors ?? []));
  if (integers.length === 0) return plain;
  return (data: unknown) => {
    const values = (data ?? {}) as Record<string, unknown>;
    const refused: ErrorObject[] = integers.flatMap((name): ErrorObject[] => {
      const value = values[name];
      if (typeof value !== "string") return [];
      if (!DECIMAL_INTEGER.test(value)) {
        return [
          {
            instancePath: `/${name}`,
            schemaPath: `#/properties/${name}/type`,
            keyword: "type",
            params: { type: "integer" },
            message: "must be integer",
          },
        ];
      }
      if (Number.isSafeInteger(Number(value))) return [];
      const [limit, comparison] = value.startsWith("-")
        ? [Number.MIN_SAFE_INTEGER, ">="]
        : [Number.MAX_SAFE_INTEGER, "<="];
      return [
        {
          instancePath: `/${name}`,
          schemaPath: `#/properties/${name}/maximum`,
          keyword: comparison === "<=" ? "maximum" : "minimum",
          params: { comparison, limit },
          message: `must be ${comparison} ${limit}`,
        },
      ];
    });
    if (refused.length === 0) return plain(data);
    // Still judge the other parameters, so that the answer names every failing one at once.
    const refusedPaths = new Set(refused.map((e) => e.instancePath));
    validate(data);
    const others = (validate.errors ?? []).filter((e) => !refusedPaths.has(e.instancePath));
    return [...refused, ...others];
  };
}
