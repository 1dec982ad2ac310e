/**
 * The Schema Object, from OpenAPI 3.1's JSON Schema 2020-12 to OpenAPI 3.0's subset of draft 4/5:
 *
 * - `type: [X, "null"]` → `type: X` + `nullable: true`; several non-null types → `anyOf` of one type each;
 * - `examples` (a list) → `example` (its first);
 * - `const` → a one-value `enum`;
 * - `exclusiveMinimum`/`exclusiveMaximum` as numbers → `minimum`/`maximum` + `true`;
 * - `$ref` with other keywords beside it (3.0 ignores them) → the keywords + `allOf: [{ $ref }]`;
 * - `contentEncoding: base64` → `format: byte`; `contentMediaType` → `format: binary` (3.1's own table);
 * - `true` / `false` schemas → `{}` / `{ not: {} }`; `$schema` and `$comment` left out.
 *
 * Any other keyword stops the conversion (`fields.ts`): `prefixItems`, `if`, `$defs`, a lone
 * `type: "null"`, ... have no 3.0 form a generator reads alike.
 */
import {
  asArray,
  asObject,
  child,
  converted,
  convertFields,
  drop,
  eachItem,
  eachValue,
  type Json,
  keep,
  type Rule,
  Unconvertible,
} from "./fields.ts";

export function convertSchema(schema: unknown, at: string): unknown {
  if (schema === true) return {};
  if (schema === false) return { not: {} };
  const object = asObject(schema, at, "a schema");
  if ("$ref" in object && Object.keys(object).length > 1) return referenceWithSiblings(object, at);
  refuseClashes(object, at);
  const out = convertFields(object, at, "a schema", rules);
  // 3.0 has room for one example: one written as such wins over the first of `examples`.
  if ("example" in object) out.example = object.example;
  return "const" in object || "contentEncoding" in object || "contentMediaType" in object
    ? withFormatsAndConst(object, out, at)
    : out;
}

const schemaList = eachItem(convertSchema, "a list of schemas");

const rules: Record<string, Rule> = {
  $ref: keep,
  type: (value, at) => convertType(value, at),
  examples: (value, at) => {
    const list = asArray(value, at, "a schema's examples");
    // The first; an `example` written as such wins over it (convertSchema).
    return list.length === 0 ? [] : [["example", list[0]]];
  },
  exclusiveMinimum: (value, at) => exclusiveBound(value, at, "minimum"),
  exclusiveMaximum: (value, at) => exclusiveBound(value, at, "maximum"),
  properties: converted(eachValue(convertSchema, "a schema's properties")),
  items: (value, at, key) => {
    if (Array.isArray(value)) throw new Unconvertible(at, "`items` as a list (a tuple) has no OpenAPI 3.0 form");
    return [[key, convertSchema(value, at)]];
  },
  prefixItems: (_value, at) => {
    throw new Unconvertible(at, "`prefixItems` (a tuple) has no OpenAPI 3.0 form");
  },
  additionalProperties: (value, at, key) => [[key, typeof value === "boolean" ? value : convertSchema(value, at)]],
  allOf: converted(schemaList),
  anyOf: converted(schemaList),
  oneOf: converted(schemaList),
  not: converted(convertSchema),
  // Written by withFormatsAndConst, which needs the schema's other keywords.
  const: drop,
  contentEncoding: drop,
  contentMediaType: drop,
  $schema: drop,
  $comment: drop,
  ...Object.fromEntries(
    [
      "title",
      "description",
      "format",
      "default",
      "enum",
      "required",
      "multipleOf",
      "minimum",
      "maximum",
      "minLength",
      "maxLength",
      "pattern",
      "minItems",
      "maxItems",
      "uniqueItems",
      "minProperties",
      "maxProperties",
      "readOnly",
      "writeOnly",
      "deprecated",
      "example",
      "nullable",
      "discriminator",
      "xml",
      "externalDocs",
    ].map((name) => [name, keep]),
  ),
};

/** 3.1 keywords whose 3.0 form would overwrite a keyword the schema already has. */
function refuseClashes(object: Json, at: string): void {
  const types = Array.isArray(object.type) ? object.type.filter((type) => type !== "null") : [];
  if (types.length > 1 && "anyOf" in object)
    throw new Unconvertible(child(at, "type"), "several types beside `anyOf`: write the types as `anyOf` branches");
  for (const bound of ["minimum", "maximum"] as const) {
    const key = bound === "minimum" ? "exclusiveMinimum" : "exclusiveMaximum";
    if (typeof object[key] === "number" && bound in object)
      throw new Unconvertible(child(at, key), `\`${key}\` as a number beside \`${bound}\`: keep the one that binds`);
  }
}

function convertType(value: unknown, at: string): [string, unknown][] {
  const types = typeof value === "string" ? [value] : asArray(value, at, "a schema's type");
  const nullable = types.includes("null");
  const others = types.filter((type) => type !== "null");
  if (others.length === 0)
    throw new Unconvertible(at, '`type: "null"` alone has no OpenAPI 3.0 form (3.0 has only `nullable` beside a type)');
  const flag: [string, unknown][] = nullable ? [["nullable", true]] : [];
  if (others.length === 1) return [["type", others[0]], ...flag];
  // Each branch carries `nullable`, since 3.0 ignores it on a schema without a type.
  return [["anyOf", others.map((type) => ({ type, ...(nullable ? { nullable: true } : {}) }))]];
}

function exclusiveBound(value: unknown, at: string, bound: "minimum" | "maximum"): [string, unknown][] {
  const key = bound === "minimum" ? "exclusiveMinimum" : "exclusiveMaximum";
  if (typeof value === "boolean") return [[key, value]];
  if (typeof value !== "number") throw new Unconvertible(at, `\`${key}\` should be a number`);
  return [
    [bound, value],
    [key, true],
  ];
}

/** `const`, `contentEncoding` and `contentMediaType`, which turn into keywords that may clash with others. */
function withFormatsAndConst(source: Json, out: Json, at: string): Json {
  if ("const" in source) {
    if ("enum" in source) throw new Unconvertible(child(at, "const"), "`const` beside `enum`: write one of them");
    out.enum = [source.const];
  }
  const encoding = source.contentEncoding;
  const format =
    encoding === "base64" ? "byte" : encoding === undefined && "contentMediaType" in source ? "binary" : undefined;
  if (encoding !== undefined && format === undefined)
    throw new Unconvertible(child(at, "contentEncoding"), `\`contentEncoding: ${String(encoding)}\` has no 3.0 format`);
  if (format !== undefined) {
    if ("format" in source && source.format !== format)
      throw new Unconvertible(child(at, "format"), `\`format\` beside \`contentEncoding\`/\`contentMediaType\``);
    out.format = format;
  }
  return out;
}

/**
 * A `$ref` with keywords beside it. 3.1 applies both; 3.0 reads the `$ref` and ignores the rest, so the
 * reference moves into an `allOf` of one, the form 3.0 generators read as "this type, described".
 */
function referenceWithSiblings(object: Json, at: string): Json {
  const { $ref, ...siblings } = object;
  const out = asObject(convertSchema(siblings, at), at, "a schema");
  const allOf = Array.isArray(out.allOf) ? out.allOf : [];
  const { allOf: _, ...rest } = out;
  return { allOf: [{ $ref }, ...allOf], ...rest };
}
