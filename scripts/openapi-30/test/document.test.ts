/**
 * The document around the schemas: root, info, webhooks, components, and the objects between a path and its
 * schemas (given a 3.1 fragment, want its 3.0 form), and the 3.1 fields outside schemas that stop it.
 */
import { describe, expect, it } from "vitest";
import { convertTo30 } from "../document.ts";
import { Unconvertible } from "../fields.ts";

const minimal = { openapi: "3.1.0", info: { title: "T", version: "1" }, paths: {} };
const document = (extra: Record<string, unknown>) => ({ ...minimal, ...extra });

describe("convertTo30 writes the document's 3.1 fields in their 3.0 form", () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ["openapi becomes 3.0.3", minimal, { openapi: "3.0.3", info: { title: "T", version: "1" }, paths: {} }],
    [
      "info.summary and license.identifier become x-summary and x-identifier",
      document({ info: { title: "T", version: "1", summary: "S", license: { name: "MIT", identifier: "MIT" } } }),
      {
        openapi: "3.0.3",
        info: { title: "T", version: "1", "x-summary": "S", license: { name: "MIT", "x-identifier": "MIT" } },
        paths: {},
      },
    ],
    [
      "webhooks become x-webhooks, their schemas converted",
      document({
        webhooks: {
          "chat.created": {
            post: {
              requestBody: { content: { "application/json": { schema: { type: ["string", "null"] } } } },
              responses: { "2XX": { description: "ok" } },
            },
          },
        },
      }),
      {
        ...minimal,
        openapi: "3.0.3",
        "x-webhooks": {
          "chat.created": {
            post: {
              requestBody: { content: { "application/json": { schema: { type: "string", nullable: true } } } },
              responses: { "2XX": { description: "ok" } },
            },
          },
        },
      },
    ],
    [
      "the default JSON Schema dialect is left out",
      document({ jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base" }),
      { ...minimal, openapi: "3.0.3" },
    ],
    [
      "a document with no paths gets an empty paths (3.0 requires it)",
      { openapi: "3.1.1", info: { title: "T", version: "1" }, components: {} },
      { openapi: "3.0.3", info: { title: "T", version: "1" }, components: {}, paths: {} },
    ],
    [
      "root extensions, servers, security and tags pass unchanged",
      document({
        "x-max-body-bytes": 1,
        servers: [{ url: "https://a" }],
        security: [{ k: [] }],
        tags: [{ name: "a" }],
      }),
      {
        ...minimal,
        openapi: "3.0.3",
        "x-max-body-bytes": 1,
        servers: [{ url: "https://a" }],
        security: [{ k: [] }],
        tags: [{ name: "a" }],
      },
    ],
  ];
  it.each(cases)("%s", (_name, given, want) => {
    expect(convertTo30(given)).toEqual(want);
  });

  it("converts the schemas of parameters, headers, request bodies, responses and components", () => {
    const nullable = { type: ["string", "null"] };
    const want = { type: "string", nullable: true };
    const given = document({
      paths: {
        "/a/{id}": {
          parameters: [{ name: "id", in: "path", required: true, schema: nullable }],
          get: {
            operationId: "getA",
            parameters: [{ $ref: "#/components/parameters/P", description: "3.1 lets a reference say this" }],
            responses: {
              "200": {
                description: "ok",
                headers: { "X-A": { schema: nullable } },
                content: { "application/json": { schema: nullable, examples: { one: { value: "a" } } } },
              },
              default: { $ref: "#/components/responses/E", summary: "left out in 3.0" },
            },
          },
        },
      },
      components: {
        schemas: { S: nullable },
        parameters: { P: { name: "p", in: "query", schema: nullable } },
        headers: { H: { schema: nullable } },
        requestBodies: { B: { content: { "application/json": { schema: nullable } } } },
        responses: { E: { description: "e", content: { "application/json": { schema: nullable } } } },
        securitySchemes: { ApiKey: { type: "apiKey", in: "header", name: "x-api-key" } },
      },
    });
    expect(convertTo30(given)).toEqual({
      openapi: "3.0.3",
      info: { title: "T", version: "1" },
      paths: {
        "/a/{id}": {
          parameters: [{ name: "id", in: "path", required: true, schema: want }],
          get: {
            operationId: "getA",
            parameters: [{ $ref: "#/components/parameters/P" }],
            responses: {
              "200": {
                description: "ok",
                headers: { "X-A": { schema: want } },
                content: { "application/json": { schema: want, examples: { one: { value: "a" } } } },
              },
              default: { $ref: "#/components/responses/E" },
            },
          },
        },
      },
      components: {
        schemas: { S: want },
        parameters: { P: { name: "p", in: "query", schema: want } },
        headers: { H: { schema: want } },
        requestBodies: { B: { content: { "application/json": { schema: want } } } },
        responses: { E: { description: "e", content: { "application/json": { schema: want } } } },
        securitySchemes: { ApiKey: { type: "apiKey", in: "header", name: "x-api-key" } },
      },
    });
  });
});

describe("convertTo30 stops, naming the place, on 3.1 fields it cannot write in 3.0", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["a document that is not 3.1", { ...minimal, openapi: "3.0.3" }, "/openapi"],
    [
      "another JSON Schema dialect",
      document({ jsonSchemaDialect: "https://example.com/dialect" }),
      "/jsonSchemaDialect",
    ],
    ["components.pathItems", document({ components: { pathItems: { A: {} } } }), "/components/pathItems"],
    [
      "a mutualTLS security scheme",
      document({ components: { securitySchemes: { M: { type: "mutualTLS" } } } }),
      "/components/securitySchemes/M/type",
    ],
    ["an unknown root field", document({ extra: 1 }), "/extra"],
    ["an unknown info field", document({ info: { title: "T", version: "1", logo: "x" } }), "/info/logo"],
    [
      "an unknown operation field",
      document({ paths: { "/a": { get: { responses: {}, query: 1 } } } }),
      "/paths/~1a/get/query",
    ],
    ["a path item's query method (OpenAPI 3.2)", document({ paths: { "/a": { query: {} } } }), "/paths/~1a/query"],
    [
      "a schema deep in a webhook",
      document({
        webhooks: {
          e: { post: { requestBody: { content: { "application/json": { schema: { type: "null" } } } } } },
        },
      }),
      "/webhooks/e/post/requestBody/content/application~1json/schema/type",
    ],
    [
      "a reference with a field besides summary and description",
      document({ components: { responses: { A: { $ref: "#/b", extra: 1 } } } }),
      "/components/responses/A/extra",
    ],
  ];
  it.each(cases)("%s", (_name, given, at) => {
    let thrown: unknown;
    try {
      convertTo30(given);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Unconvertible);
    expect((thrown as Unconvertible).at).toBe(at);
  });
});
