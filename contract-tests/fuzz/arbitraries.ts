/**
 * fast-check arbitraries derived from the spec's own schemas, for the subset of JSON Schema the spec uses:
 * `$ref`, objects (`properties`, `required`, `additionalProperties: false`, an `anyOf` of required-only
 * branches), strings (formats uuid, email, ipv4, uri, date-time; `minLength`; `enum`), integers
 * (`minimum`, `maximum`, `enum`), booleans, arrays, and type arrays with `null`.
 *
 * `valid(schema)` makes values the schema accepts, `invalid(schema)` values it rejects, each checked by
 * Ajv (the same one the mock validates with) so that neither can lie. Known ids can be mixed in by
 * property or parameter name (`pools`), so valid requests also reach objects that exist.
 */
import type { ValidateFunction } from "ajv";
import fc from "fast-check";
import type { oas31 } from "openapi3-ts";
import { createAjv, refInto } from "../../lib/ajv.ts";
import { isRef, publicSpec, resolve } from "../../lib/spec.ts";

export type Schema = oas31.SchemaObject | oas31.ReferenceObject;
export type Pools = Record<string, readonly string[]>;

const SPEC_ID = "openapi.json";
const JSON_TYPES = ["string", "integer", "number", "boolean", "object", "array", "null"] as const;
type JsonType = (typeof JSON_TYPES)[number];

export interface Deriver {
  /** Values `schema` accepts; strings of a pooled name come from the pool three times in four. */
  valid(schema: Schema, name?: string): fc.Arbitrary<unknown>;
  /** Values `schema` rejects. */
  invalid(schema: Schema, name?: string): fc.Arbitrary<unknown>;
  /** Whether `schema` accepts `value`; `coerce` reads it as a query or path parameter would (from text). */
  accepts(schema: Schema, value: unknown, coerce?: boolean): boolean;
}

/** Whether a schema of `doc` accepts a value; the validators are compiled once per document and schema. */
function acceptorFor(doc: oas31.OpenAPIObject): Deriver["accepts"] {
  let accepts = acceptors.get(doc);
  if (accepts) return accepts;
  const documents = [{ id: SPEC_ID, doc }];
  const strictAjv = createAjv(documents);
  const coercingAjv = createAjv(documents, { coerceTypes: true });
  const cache = new Map<string, ValidateFunction>();
  accepts = (schema, value, coerce = false) => {
    const key = `${coerce}|${JSON.stringify(schema)}`;
    let validate = cache.get(key);
    if (!validate) {
      validate = (coerce ? coercingAjv : strictAjv).compile(refInto(SPEC_ID, schema));
      cache.set(key, validate);
    }
    // Coercion rewrites the value in place: judge a copy.
    return validate(coerce ? structuredClone(value) : value);
  };
  acceptors.set(doc, accepts);
  return accepts;
}
const acceptors = new WeakMap<oas31.OpenAPIObject, Deriver["accepts"]>();

export function createDeriver(options: { doc?: oas31.OpenAPIObject; pools?: Pools } = {}): Deriver {
  const doc = options.doc ?? publicSpec;
  const pools = options.pools ?? {};
  const accepts = acceptorFor(doc);

  const typesOf = (node: oas31.SchemaObject): JsonType[] => {
    if (Array.isArray(node.type)) return node.type as JsonType[];
    if (typeof node.type === "string") return [node.type as JsonType];
    if (node.properties) return ["object"];
    if (node.enum) return [...new Set(node.enum.map(typeOfValue))];
    return [];
  };

  const validOf = (raw: Schema, name?: string): fc.Arbitrary<unknown> => {
    const node = resolve<oas31.SchemaObject>(doc, raw);
    const types = typesOf(node);
    if (node.enum) return fc.constantFrom(...node.enum);
    if (types.length > 1) {
      const rest = types.filter((t) => t !== "null");
      const branches = rest.map((t) => ({ weight: 4, arbitrary: validOf({ ...node, type: t }, name) }));
      return fc.oneof(...(types.includes("null") ? [{ weight: 1, arbitrary: fc.constant(null) }] : []), ...branches);
    }
    switch (types[0]) {
      case "string": {
        const base = stringOf(node);
        const pool = name ? pools[name] : undefined;
        return pool && pool.length > 0
          ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: base })
          : base;
      }
      case "integer":
        return integerOf(node);
      case "number":
        return fc.double({ noNaN: true, noDefaultInfinity: true, ...range(node) });
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array":
        return fc.array(node.items ? validOf(node.items) : fc.jsonValue(), { maxLength: 3 });
      case "object":
        return objectOf(node);
      default:
        return fc.jsonValue();
    }
  };

  const objectOf = (node: oas31.SchemaObject): fc.Arbitrary<Record<string, unknown>> => {
    const properties = node.properties ?? {};
    const model = Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, validOf(child, key)]));
    const required = node.required ?? [];
    const record = (keys: string[]) =>
      fc.record(model, { requiredKeys: [...new Set(keys)] }).map((value) => ({ ...value }) as Record<string, unknown>);
    const branches = requiredOnlyBranches(node);
    if (branches.length === 0) return record(required);
    return fc.oneof(...branches.map((branch) => record([...required, ...branch])));
  };

  const invalidOf = (raw: Schema, name?: string): fc.Arbitrary<unknown> => {
    const node = resolve<oas31.SchemaObject>(doc, raw);
    const types = typesOf(node);
    const options: fc.Arbitrary<unknown>[] = [];
    const allowsNumber = types.includes("number");
    const wrong = JSON_TYPES.filter(
      (t) =>
        types.length > 0 &&
        !types.includes(t) &&
        !(t === "integer" && allowsNumber) &&
        !(t === "number" && types.includes("integer")),
    );
    if (wrong.length > 0) options.push(fc.oneof(...wrong.map(sampleOfType)));
    if (node.enum) {
      const enumValues = node.enum;
      const base: fc.Arbitrary<unknown> = types.includes("integer")
        ? fc.integer({ min: -5, max: 10 })
        : fc.string({ maxLength: 12 });
      options.push(base.filter((v) => !enumValues.includes(v)));
    }
    if (types.includes("string") && !node.enum) {
      if (node.format) options.push(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...BAD_FORMAT_SAMPLES)));
      if ((node.minLength ?? 0) > 0) options.push(fc.constant(""));
    }
    if (types.includes("integer")) {
      if (typeof node.minimum === "number")
        options.push(fc.integer({ min: node.minimum - 1000, max: node.minimum - 1 }));
      if (typeof node.maximum === "number")
        options.push(fc.integer({ min: node.maximum + 1, max: node.maximum + 1000 }));
      options.push(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((n) => !Number.isInteger(n)),
      );
    }
    if (types.includes("object")) options.push(...invalidObjects(node));
    if (types.includes("array") && node.items)
      options.push(fc.array(invalidOf(node.items), { minLength: 1, maxLength: 2 }));
    // A value that breaks one schema of an allOf breaks the whole.
    for (const part of node.allOf ?? []) {
      try {
        options.push(invalidOf(part as Schema, name));
      } catch {
        // That part allows anything: another part may not.
      }
    }
    if (options.length === 0) throw new Error(`No invalid value can be derived for ${name ?? JSON.stringify(raw)}`);
    return fc.oneof(...options);
  };

  const invalidObjects = (node: oas31.SchemaObject): fc.Arbitrary<unknown>[] => {
    const properties = node.properties ?? {};
    const names = Object.keys(properties);
    const valid = objectOf(node);
    const options: fc.Arbitrary<unknown>[] = [];
    // One property made invalid, the rest valid: of the properties that have an invalid value at all (one
    // the schema leaves open, such as an override's `body`, takes anything).
    const breakable = names.flatMap((key) => {
      try {
        return [[key, invalidOf(properties[key] as Schema, key)] as const];
      } catch {
        return [];
      }
    });
    if (breakable.length > 0) {
      options.push(
        fc
          .constantFrom(...breakable)
          .chain(([key, bad]) => fc.tuple(valid, bad).map(([value, b]) => ({ ...value, [key]: b }))),
      );
    }
    if (node.additionalProperties === false) {
      const unknownKey = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in properties));
      options.push(
        fc.tuple(valid, unknownKey, fc.jsonValue()).map(([value, key, extra]) => ({ ...value, [key]: extra })),
      );
    }
    for (const key of node.required ?? []) options.push(valid.map(({ [key]: _, ...rest }) => rest));
    const branches = requiredOnlyBranches(node);
    if (branches.length > 0) {
      const keys = new Set(branches.flat());
      options.push(valid.map((value) => Object.fromEntries(Object.entries(value).filter(([k]) => !keys.has(k)))));
    }
    return options;
  };

  return {
    valid: (schema, name) => validOf(schema, name).filter((v) => accepts(schema, v)),
    invalid: (schema, name) => invalidOf(schema, name).filter((v) => !accepts(schema, v)),
    accepts,
  };
}

/** The branches of an `anyOf` that only list required properties (`[{ required: [agent] }, ...]`). */
function requiredOnlyBranches(node: oas31.SchemaObject): string[][] {
  const anyOf = node.anyOf ?? [];
  if (anyOf.length === 0) return [];
  const branches = anyOf.map((b) => (isRef(b) ? undefined : b));
  if (branches.some((b) => !b || Object.keys(b).some((k) => k !== "required"))) {
    throw new Error("Only an anyOf of required-only branches is supported");
  }
  return branches.map((b) => b?.required ?? []);
}

const BAD_FORMAT_SAMPLES = [
  "not-a-guid",
  "x@",
  "@example.com",
  "300.1.1.1",
  "1.2.3",
  "no scheme here",
  "2026-13-45T99:99:99Z",
  " ",
];

function stringOf(node: oas31.SchemaObject): fc.Arbitrary<string> {
  const byFormat = node.format ? formats()[node.format] : undefined;
  return byFormat ?? plainString(node.minLength ?? 0, Math.max(node.maxLength ?? 40, node.minLength ?? 0));
}

/** The formats the spec uses, made once (see plainString). */
let formatArbitraries: Record<string, fc.Arbitrary<string>> | undefined;
function formats(): Record<string, fc.Arbitrary<string>> {
  formatArbitraries ??= {
    uuid: fc.uuid(),
    email: fc.emailAddress(),
    ipv4: fc.ipV4(),
    // Not fc.webUrl(): it takes a second to prepare its Unicode paths; ASCII URLs cover the format.
    uri: fc
      .tuple(
        fc.constantFrom("https", "http"),
        fc.domain(),
        fc.array(fc.stringMatching(/^[a-z0-9._~-]{1,8}$/), { maxLength: 3 }),
        fc.option(fc.stringMatching(/^[a-z0-9=&]{1,12}$/), { nil: undefined }),
      )
      .map(([scheme, domain, path, query]) => `${scheme}://${domain}/${path.join("/")}${query ? `?${query}` : ""}`),
    "date-time": fc
      .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true })
      .map((d) => d.toISOString()),
  };
  return formatArbitraries;
}

/**
 * ASCII or any grapheme, within the lengths. Made once per pair of lengths: fast-check prepares each
 * string arbitrary's unit (expensive for full Unicode) on first use, and keeps that per arbitrary.
 */
function plainString(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const key = `${minLength}-${maxLength}`;
  let arbitrary = plainStrings.get(key);
  if (!arbitrary) {
    arbitrary = fc.oneof(
      fc.string({ minLength, maxLength, unit: "grapheme-ascii" }),
      fc.string({ minLength, maxLength, unit: "grapheme" }),
    );
    plainStrings.set(key, arbitrary);
  }
  return arbitrary;
}
const plainStrings = new Map<string, fc.Arbitrary<string>>();

function integerOf(node: oas31.SchemaObject): fc.Arbitrary<number> {
  const { min, max } = range(node);
  const whole = fc.integer({ min: min ?? -1_000_000, max: max ?? 2_147_483_647 });
  // Small values near the minimum are where the rules are (page 1, 2, 3...).
  const low = min === undefined ? whole : fc.integer({ min, max: Math.min(max ?? min + 10, min + 10) });
  return fc.oneof(low, whole);
}

function range(node: oas31.SchemaObject): { min?: number; max?: number } {
  return {
    ...(typeof node.minimum === "number" ? { min: node.minimum } : {}),
    ...(typeof node.maximum === "number" ? { max: node.maximum } : {}),
  };
}

function typeOfValue(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as JsonType;
}

function sampleOfType(type: JsonType): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return fc.string({ maxLength: 10 });
    case "integer":
      return fc.integer();
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n));
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(fc.jsonValue(), { maxLength: 2 });
    case "object":
      return fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue(), { maxKeys: 2 });
  }
}
