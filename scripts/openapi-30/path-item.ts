/**
 * Path items and what they hold (operations, parameters, request bodies, responses, headers, media types,
 * callbacks), field by field. Their 3.0 and 3.1 forms are the same but for the schemas in them
 * (`schema.ts`) and the `summary`/`description` a 3.1 reference may carry (`fields.ts`), so the tables
 * here mostly keep; they exist so that a field 3.0 lacks is caught, not copied.
 */
import { converted, convertFields, eachItem, eachValue, keep, orReference, type Rule } from "./fields.ts";
import { convertSchema } from "./schema.ts";

const kept = (names: string[]): Record<string, Rule> => Object.fromEntries(names.map((name) => [name, keep]));

export const convertExample = (value: unknown, at: string) =>
  convertFields(value, at, "an example", kept(["summary", "description", "value", "externalValue"]));
const examples = converted(eachValue(orReference(convertExample, "an example"), "a map of examples"));

const convertEncoding = (value: unknown, at: string) =>
  convertFields(value, at, "an encoding", {
    ...kept(["contentType", "style", "explode", "allowReserved"]),
    headers: converted(eachValue(orReference(convertHeader, "a header"), "a map of headers")),
  });

const convertMediaType = (value: unknown, at: string) =>
  convertFields(value, at, "a media type", {
    schema: converted(convertSchema),
    example: keep,
    examples,
    encoding: converted(eachValue(convertEncoding, "a map of encodings")),
  });
const content = converted(eachValue(convertMediaType, "a content map"));

/** What a parameter and a header share. */
const parameterFields: Record<string, Rule> = {
  ...kept(["description", "required", "deprecated", "allowEmptyValue", "style", "explode", "allowReserved"]),
  schema: converted(convertSchema),
  example: keep,
  examples,
  content,
};

export function convertHeader(value: unknown, at: string): unknown {
  return convertFields(value, at, "a header", parameterFields);
}

export function convertParameter(value: unknown, at: string): unknown {
  return convertFields(value, at, "a parameter", { name: keep, in: keep, ...parameterFields });
}

export function convertRequestBody(value: unknown, at: string): unknown {
  return convertFields(value, at, "a request body", { description: keep, required: keep, content });
}

export function convertLink(value: unknown, at: string): unknown {
  return convertFields(
    value,
    at,
    "a link",
    kept(["operationRef", "operationId", "parameters", "requestBody", "description", "server"]),
  );
}

export function convertResponse(value: unknown, at: string): unknown {
  return convertFields(value, at, "a response", {
    description: keep,
    headers: converted(eachValue(orReference(convertHeader, "a header"), "a map of headers")),
    content,
    links: converted(eachValue(orReference(convertLink, "a link"), "a map of links")),
  });
}

/** A callback: expressions to path items. */
export const convertCallback = eachValue((item, at) => convertPathItem(item, at), "a callback");

const parameters = converted(eachItem(orReference(convertParameter, "a parameter"), "a list of parameters"));

function convertOperation(value: unknown, at: string): unknown {
  return convertFields(value, at, "an operation", {
    ...kept(["tags", "summary", "description", "externalDocs", "operationId", "deprecated", "security", "servers"]),
    parameters,
    requestBody: converted(orReference(convertRequestBody, "a request body")),
    responses: converted(eachValue(orReference(convertResponse, "a response"), "a map of responses")),
    callbacks: converted(eachValue(orReference(convertCallback, "a callback"), "a map of callbacks")),
  });
}

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export function convertPathItem(value: unknown, at: string): unknown {
  return convertFields(value, at, "a path item", {
    ...kept(["$ref", "summary", "description", "servers"]),
    ...Object.fromEntries(methods.map((method) => [method, converted(convertOperation)])),
    parameters,
  });
}
