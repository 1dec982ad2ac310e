/**
 * Judges one exchange against the spec, as the mock judges its requests and as the contract suites judge
 * live answers: the request by the engine's own stages (match.ts: which operation; validation.ts: path
 * parameters, body, query), the answer by lib/response-validator.ts in tolerant mode (status documented,
 * content type, required headers, body schema). Undocumented properties are not violations: they come back
 * as `extras`, and with the x-inferred parts in `observations` (lib/drift/observe.ts), for the report.
 */
import { type Observations, observe } from "../../lib/drift/observe.ts";
import { createResponseValidator } from "../../lib/response-validator.ts";
import { listOperations, type Operation, responseFor } from "../../lib/spec.ts";
import { createMatchStage } from "../engine/stages/match.ts";
import { createOperationValidator } from "../engine/stages/validation.ts";
import { HttpError } from "../http-error.ts";
import { PUBLIC_PREFIX } from "../mock-options.ts";

/** One way an exchange broke the spec. */
export interface Finding {
  /** Whose fault: the caller's request, or the upstream's answer. */
  side: "request" | "response";
  /** The response validator's rule, or `operation` (no operation matches) / `parameters` / `body` for requests. */
  rule: string;
  message: string;
  /** The field it names, when it names one (a JSON pointer, or a parameter's name). */
  field?: string;
}

export interface Judgement {
  operation: Operation | undefined;
  findings: Finding[];
  /** Undocumented properties the answer had (JSON pointers). */
  extras: string[];
  /** What the answer shows about the spec's schemas (for the x-inferred part of the report). */
  observations: Observations;
  /** The answer's body parsed as JSON; undefined when empty or not JSON. */
  body: unknown;
}

export interface ExchangeSeen {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  /** The request's body as text ("" when none). */
  requestText: string;
  status: number;
  responseHeaders: Record<string, string | string[]>;
  responseText: string;
}

export function createChecker() {
  const match = createMatchStage(listOperations(), PUBLIC_PREFIX);
  const validateResponse = createResponseValidator("tolerant");

  return function check(seen: ExchangeSeen): Judgement {
    const findings: Finding[] = [];
    const found = match(seen.method, seen.path);
    if (found.kind !== "operation") {
      findings.push({
        side: "request",
        rule: "operation",
        message: `${seen.method} ${seen.path} is no operation of the spec`,
      });
      return { operation: undefined, findings, extras: [], observations: {}, body: parse(seen.responseText) };
    }
    const operation = found.operation;
    findings.push(...checkRequest(operation, found.params, seen));
    const contentType = header(seen.responseHeaders, "content-type");
    const verdict = validateResponse(operation, {
      status: seen.status,
      contentType,
      headers: seen.responseHeaders,
      text: seen.responseText,
    });
    for (const problem of verdict.problems) {
      findings.push({
        side: "response",
        rule: problem.rule,
        message: problem.message,
        ...(problem.instancePath ? { field: problem.instancePath } : {}),
      });
    }
    const observations: Observations = {};
    const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
    const schema = mediaType ? responseFor(operation, seen.status)?.response.schemas.get(mediaType) : undefined;
    if (schema && verdict.body !== undefined) observe(schema, verdict.body, observations);
    return { operation, findings, extras: verdict.extras, observations, body: verdict.body };
  };
}

function checkRequest(operation: Operation, params: Record<string, string>, seen: ExchangeSeen): Finding[] {
  let body: unknown;
  if (seen.requestText !== "") {
    try {
      body = JSON.parse(seen.requestText);
    } catch {
      return [{ side: "request", rule: "body", message: "the request body is not well-formed JSON" }];
    }
  }
  try {
    // The validator coerces and fills in defaults in place: copies, so the exchange stays as it was.
    createOperationValidator(operation)({ path: { ...params }, query: { ...seen.query }, body });
    return [];
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    if (error.details.length === 0) return [{ side: "request", rule: "parameters", message: error.message }];
    return error.details.map((detail) => ({
      side: "request" as const,
      rule: detail.in === "body" ? "body" : "parameters",
      message: `${detail.field || "(body)"} ${detail.message}`,
      field: detail.field,
    }));
  }
}

function header(headers: Record<string, string | string[]>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parse(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
