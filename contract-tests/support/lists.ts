/**
 * The list operations of the spec, found by their shape rather than named by hand: a GET that takes `page`
 * and `limit` in the query and answers 200 with the page envelope `{ data, page, limit, pages, total }`.
 * A list added to the spec is paged by the suites as soon as its parameters can be filled (pagination.test.ts).
 */
import type { oas31 } from "openapi3-ts";
import { listOperations, type Operation, publicSpec, resolve } from "../../lib/spec.ts";

const ENVELOPE = ["data", "page", "limit", "pages", "total"];

export function isListOperation(op: Operation, doc: oas31.OpenAPIObject = publicSpec): boolean {
  if (op.method !== "get") return false;
  const query = new Set(op.parameters.filter((p) => p.in === "query").map((p) => p.name));
  if (!query.has("page") || !query.has("limit")) return false;
  const body = op.responses.get("200")?.schemas.get("application/json");
  const schema = body && resolve<oas31.SchemaObject>(doc, body);
  return ENVELOPE.every((key) => schema?.required?.includes(key));
}

export function listOperationsOf(doc: oas31.OpenAPIObject = publicSpec): Operation[] {
  return listOperations(doc).filter((op) => isListOperation(op, doc));
}

/** What a request to a list must carry besides `page` and `limit`: its path parameters and required query. */
export function parametersToFill(op: Operation): oas31.ParameterObject[] {
  return op.parameters.filter(
    (p) => p.in === "path" || (p.in === "query" && p.required && p.name !== "page" && p.name !== "limit"),
  );
}
