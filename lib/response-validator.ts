/**
 * Checks one HTTP response against the spec: the status is documented for the operation, the content type
 * is documented for that status, documented required headers are present, and the body validates.
 *
 * Two modes. `strict` (for the mock): no undocumented properties anywhere. `tolerant` (for the live API):
 * undocumented properties are allowed, but reported in `extras` so drift can be seen.
 */
import type { ValidateFunction } from "ajv";
import type { oas31 } from "openapi3-ts";
import { closeObjects, createAjv, refInto } from "./ajv.ts";
import { type Operation, publicSpec, responseFor } from "./spec.ts";

export type Mode = "strict" | "tolerant";

export interface ObservedResponse {
  status: number;
  /** The Content-Type header as sent (parameters such as charset are ignored). */
  contentType: string | undefined;
  headers?: Record<string, string | string[] | undefined>;
  /** The raw body text ("" when there is none). */
  text: string;
}

export interface Problem {
  rule: "status-documented" | "content-type" | "header" | "body-json" | "schema" | "empty-body";
  message: string;
  /** Where in the body (JSON pointer) and which schema rule, for schema problems. */
  instancePath?: string;
  schemaPath?: string;
}

export interface Verdict {
  problems: Problem[];
  /** Undocumented properties seen (JSON pointers); problems in strict mode, reported only in tolerant mode. */
  extras: string[];
  /** The documented response it was judged against (`"200"`, `"default"`), when there was one. */
  responseKey: string | undefined;
  /** The parsed body, when it was JSON. */
  body: unknown;
}

const OPEN = "openapi.json";
const CLOSED = "openapi.closed.json";

export function createResponseValidator(mode: Mode, doc: oas31.OpenAPIObject = publicSpec) {
  const ajv = createAjv([
    { id: OPEN, doc },
    { id: CLOSED, doc: closeObjects(doc) },
  ]);
  const cache = new Map<string, ValidateFunction>();
  const compiled = (id: string, schema: oas31.SchemaObject | oas31.ReferenceObject): ValidateFunction => {
    const key = `${id}|${JSON.stringify(schema)}`;
    let fn = cache.get(key);
    if (!fn) {
      fn = ajv.compile(refInto(id, schema));
      cache.set(key, fn);
    }
    return fn;
  };

  return function validate(op: Operation, observed: ObservedResponse): Verdict {
    const problems: Problem[] = [];
    const extras: string[] = [];
    const found = responseFor(op, observed.status);
    if (!found || (found.key === "default" && observed.status < 400)) {
      problems.push({
        rule: "status-documented",
        message: `${op.id} does not document status ${observed.status} (documented: ${[...op.responses.keys()].join(", ")})`,
      });
    }
    const response = found?.response;
    let body: unknown;
    if (response && response.contentTypes.length === 0) {
      if (observed.text !== "")
        problems.push({ rule: "empty-body", message: "the documented response has no body, but one was sent" });
      return { problems, extras, responseKey: found?.key, body };
    }
    const mediaType = observed.contentType?.split(";")[0]?.trim().toLowerCase();
    if (response && (!mediaType || !response.contentTypes.includes(mediaType))) {
      problems.push({
        rule: "content-type",
        message: `content type ${mediaType ?? "(none)"} is not documented for ${found?.key} (documented: ${response.contentTypes.join(", ")})`,
      });
    }
    for (const [name, header] of response?.headers ?? []) {
      if (header.required && observed.headers && observed.headers[name] === undefined) {
        problems.push({ rule: "header", message: `required header ${name} is missing` });
      }
    }
    try {
      body = observed.text === "" ? undefined : JSON.parse(observed.text);
    } catch {
      problems.push({ rule: "body-json", message: "the body is not well-formed JSON" });
      return { problems, extras, responseKey: found?.key, body };
    }
    const schema = mediaType ? response?.schemas.get(mediaType) : undefined;
    if (schema) {
      const open = compiled(OPEN, schema);
      if (!open(body)) {
        for (const e of open.errors ?? []) {
          problems.push({
            rule: "schema",
            message: `${e.instancePath || "(body)"} ${e.message ?? e.keyword}`,
            instancePath: e.instancePath,
            schemaPath: e.schemaPath,
          });
        }
      }
      const closed = compiled(CLOSED, schema);
      if (!closed(body)) {
        for (const e of closed.errors ?? []) {
          if (e.keyword !== "additionalProperties") continue;
          const where = `${e.instancePath}/${String(e.params.additionalProperty)}`;
          extras.push(where);
          if (mode === "strict") {
            problems.push({
              rule: "schema",
              message: `${where} is not a documented property`,
              instancePath: where,
              schemaPath: e.schemaPath,
            });
          }
        }
      }
    }
    return { problems, extras, responseKey: found?.key, body };
  };
}
