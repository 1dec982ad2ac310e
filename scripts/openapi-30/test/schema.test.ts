/** Schemas: each 3.1 construct in its 3.0 form (given, want), and the ones with none stop the conversion. */
import { describe, expect, it } from "vitest";
import { Unconvertible } from "../fields.ts";
import { convertSchema } from "../schema.ts";

describe("convertSchema writes a 3.1 schema in its 3.0 form", () => {
  const cases: [string, unknown, unknown][] = [
    [
      "a type list with null becomes the type and nullable",
      { type: ["string", "null"], format: "uuid" },
      { type: "string", nullable: true, format: "uuid" },
    ],
    ["a type list of one type becomes that type", { type: ["integer"] }, { type: "integer" }],
    [
      "several non-null types become anyOf, one type each",
      { type: ["string", "integer"], description: "an id" },
      { anyOf: [{ type: "string" }, { type: "integer" }], description: "an id" },
    ],
    [
      "several types with null give each branch nullable (3.0 ignores it without a type)",
      { type: ["string", "integer", "null"] },
      {
        anyOf: [
          { type: "string", nullable: true },
          { type: "integer", nullable: true },
        ],
      },
    ],
    [
      "examples become example, the first of them",
      { type: "integer", examples: [3, 4] },
      { type: "integer", example: 3 },
    ],
    ["an empty examples list is left out", { type: "string", examples: [] }, { type: "string" }],
    [
      "an example already there wins over examples",
      { examples: ["b"], example: "a", type: "string" },
      { example: "a", type: "string" },
    ],
    [
      "const becomes a one-value enum",
      { type: "string", const: "chat.created" },
      { type: "string", enum: ["chat.created"] },
    ],
    [
      "a numeric exclusiveMinimum becomes minimum and true",
      { type: "number", exclusiveMinimum: 0 },
      { type: "number", minimum: 0, exclusiveMinimum: true },
    ],
    [
      "a numeric exclusiveMaximum becomes maximum and true",
      { type: "number", exclusiveMaximum: 10 },
      { type: "number", maximum: 10, exclusiveMaximum: true },
    ],
    [
      "a $ref with keywords beside it moves into allOf, the keywords kept",
      { $ref: "#/components/schemas/Guid", description: "GUID of the chat.", "x-inferred": true },
      { allOf: [{ $ref: "#/components/schemas/Guid" }], description: "GUID of the chat.", "x-inferred": true },
    ],
    [
      "a $ref beside an allOf goes first in it",
      { $ref: "#/components/schemas/A", allOf: [{ $ref: "#/components/schemas/B" }] },
      { allOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }] },
    ],
    ["a $ref alone stays as it is", { $ref: "#/components/schemas/Guid" }, { $ref: "#/components/schemas/Guid" }],
    [
      "contentEncoding base64 becomes format byte",
      { type: "string", contentEncoding: "base64", contentMediaType: "image/png" },
      { type: "string", format: "byte" },
    ],
    [
      "contentMediaType alone becomes format binary",
      { type: "string", contentMediaType: "application/octet-stream" },
      { type: "string", format: "binary" },
    ],
    [
      "$schema and $comment are left out",
      { $schema: "https://json-schema.org/draft/2020-12/schema", $comment: "why", type: "object" },
      { type: "object" },
    ],
    ["true is the empty schema", true, {}],
    ["false is a schema nothing matches", false, { not: {} }],
    [
      "x- extensions are kept as they are",
      { type: "string", "x-personal": true, "x-references": "Contact" },
      { type: "string", "x-personal": true, "x-references": "Contact" },
    ],
    [
      "nested schemas are converted too (properties, items, additionalProperties, allOf, anyOf, oneOf, not)",
      {
        type: "object",
        properties: { name: { type: ["string", "null"] } },
        additionalProperties: { const: 1 },
        allOf: [{ examples: ["a"] }],
        anyOf: [{ type: ["integer", "null"] }],
        oneOf: [{ $ref: "#/x", description: "d" }],
        not: { exclusiveMinimum: 1 },
      },
      {
        type: "object",
        properties: { name: { type: "string", nullable: true } },
        additionalProperties: { enum: [1] },
        allOf: [{ example: "a" }],
        anyOf: [{ type: "integer", nullable: true }],
        oneOf: [{ allOf: [{ $ref: "#/x" }], description: "d" }],
        not: { minimum: 1, exclusiveMinimum: true },
      },
    ],
    [
      "an array's items are converted",
      { type: "array", items: { type: ["string", "null"] }, minItems: 1 },
      { type: "array", items: { type: "string", nullable: true }, minItems: 1 },
    ],
    [
      "3.0 keywords pass unchanged",
      { type: "string", minLength: 1, maxLength: 9, pattern: "^a", enum: ["a"], default: "a", readOnly: true },
      { type: "string", minLength: 1, maxLength: 9, pattern: "^a", enum: ["a"], default: "a", readOnly: true },
    ],
  ];
  it.each(cases)("%s", (_name, given, want) => {
    expect(convertSchema(given, "/s")).toEqual(want);
  });

  it("keeps the keywords' order, a type list's 3.0 form in its place", () => {
    const out = convertSchema({ "x-personal": true, type: ["string", "null"], description: "d" }, "/s");
    expect(Object.keys(out as object)).toEqual(["x-personal", "type", "nullable", "description"]);
  });
});

describe("convertSchema stops, naming the place, on what 3.0 cannot say", () => {
  const cases: [string, unknown, string][] = [
    ["a lone type null", { type: "null" }, "/s/type"],
    ["a type list of null only", { type: ["null"] }, "/s/type"],
    ["prefixItems", { type: "array", prefixItems: [{ type: "string" }] }, "/s/prefixItems"],
    ["items as a list", { type: "array", items: [{ type: "string" }] }, "/s/items"],
    ["a keyword 3.0 does not have", { type: "object", unevaluatedProperties: false }, "/s/unevaluatedProperties"],
    ["$defs", { $defs: { a: {} } }, "/s/$defs"],
    ["if", { if: { type: "string" }, else: {} }, "/s/if"],
    [
      "a 3.1 keyword deep inside",
      { properties: { a: { items: { dependentRequired: {} } } } },
      "/s/properties/a/items/dependentRequired",
    ],
    ["several types beside anyOf", { type: ["string", "integer"], anyOf: [{}] }, "/s/type"],
    ["a numeric exclusiveMinimum beside minimum", { exclusiveMinimum: 1, minimum: 0 }, "/s/exclusiveMinimum"],
    ["const beside enum", { const: "a", enum: ["a", "b"] }, "/s/const"],
    ["an encoding other than base64", { type: "string", contentEncoding: "base32" }, "/s/contentEncoding"],
    ["examples that are not a list", { examples: { a: 1 } }, "/s/examples"],
  ];
  it.each(cases)("%s", (_name, given, at) => {
    let thrown: unknown;
    try {
      convertSchema(given, "/s");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Unconvertible);
    expect((thrown as Unconvertible).at).toBe(at);
    expect((thrown as Error).message).toMatch(/^Cannot write \/s.* in OpenAPI 3\.0: .*Teach scripts\/openapi-30\//);
  });
});
