/**
 * Turns Ajv's errors into the spec's `ErrorDetail` form: which field, and what is wrong with it,
 * one entry per problem, with the noise of `anyOf` branches folded into one readable line.
 */
import type { ErrorObject } from "ajv";
import type { components } from "../generated/types.ts";

export type ErrorDetail = components["schemas"]["ErrorDetail"];
export type Location = ErrorDetail["in"];

export function toDetails(errors: readonly ErrorObject[], location: Location): ErrorDetail[] {
  const anyOfPaths = errors.filter((e) => e.keyword === "anyOf").map((e) => e.schemaPath);
  const details: ErrorDetail[] = [];
  for (const error of errors) {
    // Branch failures of an anyOf say nothing the anyOf's own line does not.
    if (anyOfPaths.some((p) => error.schemaPath.startsWith(`${p}/`))) continue;
    details.push({ in: location, field: fieldOf(error, location), message: messageOf(error, location) });
  }
  return dedupe(details);
}

function fieldOf(error: ErrorObject, location: Location): string {
  // An unknown parameter is named as sent (`page[]`), even when its name holds a slash.
  if (error.keyword === "additionalProperties" && location !== "body" && error.instancePath === "") {
    return String(error.params.additionalProperty);
  }
  let path = error.instancePath;
  if (error.keyword === "required") path += `/${String(error.params.missingProperty)}`;
  if (error.keyword === "additionalProperties") path += `/${String(error.params.additionalProperty)}`;
  if (location === "body") return path;
  // Parameters are named, not pointed at: `/limit` is the parameter `limit`.
  return path.replace(/^\//, "").split("/")[0] ?? "";
}

function messageOf(error: ErrorObject, location: Location): string {
  if (error.keyword === "anyOf" && Array.isArray(error.schema)) {
    const names = (error.schema as { required?: string[] }[]).flatMap((branch) => branch.required ?? []);
    if (names.length === (error.schema as unknown[]).length) return `must have at least one of: ${names.join(", ")}`;
  }
  if (error.keyword === "required") return "is required";
  if (error.keyword === "false schema")
    return "is not a parameter of this operation: the API takes no array or object parameters";
  if (error.keyword === "additionalProperties") {
    return location === "body" ? "is not a known property" : "is not a parameter of this operation";
  }
  if (error.keyword === "enum") return `${error.message}: ${(error.params.allowedValues as unknown[]).join(", ")}`;
  return error.message ?? `fails ${error.keyword}`;
}

function dedupe(details: ErrorDetail[]): ErrorDetail[] {
  const seen = new Set<string>();
  return details.filter((d) => {
    const key = `${d.in}|${d.field}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
