/**
 * The OpenAPI 3.0 rendition of the bundled 3.1 spec (`generated/openapi-3.0.json`), for client generators
 * that read 3.0 better than 3.1. The root, `info` and `components` here; path items in `path-item.ts`,
 * schemas in `schema.ts`. A 3.1 field with no 3.0 place becomes an `x-` extension of the same name
 * (`webhooks` → `x-webhooks`, the name Redoc and Redocly read in 3.0; `info.summary` → `x-summary`;
 * `license.identifier` → `x-identifier`), so nothing is lost and 3.0 tools skip it.
 */
import { converted, convertFields, eachValue, keep, orReference, type Rule, rename, Unconvertible } from "./fields.ts";
import {
  convertCallback,
  convertExample,
  convertHeader,
  convertLink,
  convertParameter,
  convertPathItem,
  convertRequestBody,
  convertResponse,
} from "./path-item.ts";
import { convertSchema } from "./schema.ts";

export const OPENAPI_30_VERSION = "3.0.3";

/** The JSON Schema dialect a 3.1 document has unless it names another; 3.0's schemas are its subset. */
const DEFAULT_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base";

/** `document`, an OpenAPI 3.1 document with only local `$ref`s, written as OpenAPI 3.0.3. */
export function convertTo30(document: Record<string, unknown>): Record<string, unknown> {
  const version = document.openapi;
  if (typeof version !== "string" || !version.startsWith("3.1."))
    throw new Unconvertible("/openapi", `expected an OpenAPI 3.1 document, got openapi: ${JSON.stringify(version)}`);
  const out = convertFields(document, "", "the document", {
    openapi: () => [["openapi", OPENAPI_30_VERSION]],
    jsonSchemaDialect: (value, at) => {
      if (value === DEFAULT_DIALECT) return [];
      throw new Unconvertible(at, `the schemas are written in ${String(value)}, not the dialect 3.0 reads`);
    },
    info: converted(convertInfo),
    servers: keep,
    paths: converted(eachValue(convertPathItem, "paths")),
    webhooks: (value, at) => [
      ["x-webhooks", eachValue(orReference(convertPathItem, "a path item"), "webhooks")(value, at)],
    ],
    components: converted(convertComponents),
    security: keep,
    tags: keep,
    externalDocs: keep,
  });
  // 3.1 may leave `paths` out (a document of webhooks or components only); 3.0 requires it.
  return "paths" in out ? out : { ...out, paths: {} };
}

function convertInfo(value: unknown, at: string): unknown {
  return convertFields(value, at, "info", {
    ...Object.fromEntries(["title", "description", "termsOfService", "contact", "version"].map((name) => [name, keep])),
    summary: rename("x-summary"),
    license: converted((license, licenseAt) =>
      convertFields(license, licenseAt, "a license", { name: keep, url: keep, identifier: rename("x-identifier") }),
    ),
  });
}

const map = (convert: (value: unknown, at: string) => unknown, what: string): Rule =>
  converted(eachValue(orReference(convert, what), `a map of ${what}s`));

function convertComponents(value: unknown, at: string): unknown {
  return convertFields(value, at, "components", {
    schemas: converted(eachValue(convertSchema, "a map of schemas")),
    responses: map(convertResponse, "response"),
    parameters: map(convertParameter, "parameter"),
    examples: map(convertExample, "example"),
    requestBodies: map(convertRequestBody, "request body"),
    headers: map(convertHeader, "header"),
    securitySchemes: map(convertSecurityScheme, "security scheme"),
    links: map(convertLink, "link"),
    callbacks: map(convertCallback, "callback"),
    pathItems: (_value, pathItemsAt) => {
      throw new Unconvertible(pathItemsAt, "3.0 has no `components.pathItems`: write the path items in place");
    },
  });
}

function convertSecurityScheme(value: unknown, at: string): unknown {
  const scheme = convertFields(
    value,
    at,
    "a security scheme",
    Object.fromEntries(
      ["type", "description", "name", "in", "scheme", "bearerFormat", "flows", "openIdConnectUrl"].map((name) => [
        name,
        keep,
      ]),
    ),
  );
  if (scheme.type === "mutualTLS") throw new Unconvertible(`${at}/type`, "3.0 has no `mutualTLS` security scheme");
  return scheme;
}
