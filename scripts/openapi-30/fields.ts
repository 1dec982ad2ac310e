/**
 * The one way every object of the document is converted: a table of the fields its OpenAPI 3.0 form has,
 * each with a rule. A field the table does not name stops the conversion with its location, so a 3.1
 * construct this converter was never taught cannot slip into the 3.0 file, where a generator would
 * misread it or a validator reject it. Specification extensions (`x-*`) pass unchanged.
 */

/** Raised for anything the converter cannot write in OpenAPI 3.0; the message names the place (a JSON pointer). */
export class Unconvertible extends Error {
  constructor(
    readonly at: string,
    reason: string,
  ) {
    super(
      `Cannot write ${at || "the document"} in OpenAPI 3.0: ${reason}. ` +
        "Teach scripts/openapi-30/ its 3.0 form (with a case in its tests), or write the spec without it.",
    );
    this.name = "Unconvertible";
  }
}

export type Json = Record<string, unknown>;

/** What a field becomes: the entries written in its place (none to leave it out, another key to rename it). */
export type Rule = (value: unknown, at: string, key: string) => [string, unknown][];

/** The JSON pointer of `key` under `at`. */
export const child = (at: string, key: string | number): string =>
  `${at}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`;

export function asObject(value: unknown, at: string, what: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Unconvertible(at, `${what} should be an object`);
  return value as Json;
}

export function asArray(value: unknown, at: string, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Unconvertible(at, `${what} should be a list`);
  return value;
}

/** The same in both versions. */
export const keep: Rule = (value, _at, key) => [[key, value]];

/** Left out: it has no meaning in 3.0, or its content is written elsewhere. */
export const drop: Rule = () => [];

/** Written under another name: a 3.1 field with no 3.0 place becomes an extension, so nothing is lost. */
export const rename =
  (to: string): Rule =>
  (value) => [[to, value]];

/** The value converted by `convert`, under the same key. */
export const converted =
  (convert: (value: unknown, at: string) => unknown): Rule =>
  (value, at, key) => [[key, convert(value, at)]];

/** Each value of a map (`paths`, `properties`, `responses`, ...) converted by `convert`, keys kept. */
export const eachValue =
  (convert: (value: unknown, at: string) => unknown, what: string) =>
  (value: unknown, at: string): Json =>
    Object.fromEntries(
      Object.entries(asObject(value, at, what)).map(([key, item]) => [key, convert(item, child(at, key))]),
    );

/** Each item of a list converted by `convert`. */
export const eachItem =
  (convert: (value: unknown, at: string) => unknown, what: string) =>
  (value: unknown, at: string): unknown[] =>
    asArray(value, at, what).map((item, index) => convert(item, child(at, index)));

/** Converts `value`, an object of kind `what`, field by field by `rules`, keeping the fields' order. */
export function convertFields(value: unknown, at: string, what: string, rules: Record<string, Rule>): Json {
  const out: Json = {};
  for (const [key, field] of Object.entries(asObject(value, at, what))) {
    if (key.startsWith("x-")) {
      out[key] = field;
      continue;
    }
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (rule === undefined) throw new Unconvertible(child(at, key), `${what} has no field "${key}" in OpenAPI 3.0`);
    for (const [name, written] of rule(field, child(at, key), key)) out[name] = written;
  }
  return out;
}

/**
 * A Reference Object where one may stand, else the object converted by `convert`. 3.1 lets a reference
 * carry `summary` and `description`, which override the target's; 3.0 ignores anything beside `$ref`,
 * so they are left out (the target keeps its own).
 */
export const orReference =
  (convert: (value: unknown, at: string) => unknown, what: string) =>
  (value: unknown, at: string): unknown => {
    const object = asObject(value, at, what);
    if (!("$ref" in object)) return convert(object, at);
    return convertFields(object, at, `a reference to ${what}`, { $ref: keep, summary: drop, description: drop });
  };
