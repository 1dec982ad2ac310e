/**
 * Validation from the spec: each operation's path parameters, body and query (in that order; the first
 * part that fails is the answer, so that a request wrong in two parts gets the 400 clients already get)
 * against JSON Schemas that point into the bundled spec, compiled by Ajv on first use. Path and query
 * values arrive as strings and are coerced to the spec's types, and the query gets the spec's defaults
 * (`page`, `limit`); the body is never coerced. A failure is a 400 `invalid_request` naming the failing
 * fields of the part (the first 50, and how many there are).
 *
 * For any spec: the public one here, the admin one in the admin API (`createOperationValidator(op,
 * ADMIN_SPEC)`).
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { oas31 } from "openapi3-ts";
import { createAjv, refInto } from "../../../lib/ajv.ts";
import { type Location, toDetails } from "../../../lib/ajv-errors.ts";
import { type Operation, publicSpec } from "../../../lib/spec.ts";
import { HttpError } from "../../http-error.ts";
import { type ParametersCheck, withDecimalIntegers } from "../integer-parameters.ts";

/** A spec and the id its schemas are registered under (`openapi.json#/components/...`). */
export interface SpecRef {
  doc: oas31.OpenAPIObject;
  id: string;
}

export const PUBLIC_SPEC: SpecRef = { doc: publicSpec, id: "openapi.json" };

/** A request's parts as validation takes them; `path` and `query` are coerced and given defaults in place. */
export interface RequestParts {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

/** Throws 400 `invalid_request` naming each failing field of the first part that fails. */
export type OperationValidator = (parts: RequestParts) => void;

/**
 * The two Ajv instances of a spec: one for parameters (coercion, defaults), one for bodies. Shared by every
 * engine in the process: a compiled validator is a pure function of its schema, so the first engine
 * compiles and later ones (tests, resets) start in a few ms.
 */
interface Compilers {
  parameters: Ajv2020 | undefined;
  bodies: Ajv2020 | undefined;
}
const compilers = new WeakMap<oas31.OpenAPIObject, Compilers>();
function compilersOf(spec: SpecRef): Compilers {
  let found = compilers.get(spec.doc);
  if (!found) {
    found = { parameters: undefined, bodies: undefined };
    compilers.set(spec.doc, found);
  }
  return found;
}

// verbose: anyOf errors carry their branches, so "at least one of agent, bot, contact" can be said.
// validateSchema off: the schemas are the spec's, linted (Redocly, Spectral) and compiled by the tests;
// checking them against the meta-schema again made each Ajv compile the meta-schema, ~40 ms per start.
function compileParameters(spec: SpecRef, schema: oas31.SchemaObject): ParametersCheck {
  const ajv = compilersOf(spec);
  ajv.parameters ??= createAjv([spec], { coerceTypes: true, useDefaults: true, verbose: true, validateSchema: false });
  return withDecimalIntegers(ajv.parameters.compile(schema), schema, spec.doc, spec.id);
}

function compileBody(spec: SpecRef, schema: oas31.SchemaObject): ParametersCheck {
  const ajv = compilersOf(spec);
  ajv.bodies ??= createAjv([spec], { verbose: true, validateSchema: false });
  const validate: ValidateFunction = ajv.bodies.compile(schema);
  return (data) => (validate(data) ? undefined : (validate.errors ?? []));
}

/** The schema of an operation's path or query parameters, every part of it from the spec. */
export function parametersSchema(op: Operation, part: "path" | "query", id: string): oas31.SchemaObject | undefined {
  const params = op.parameters.filter((p) => p.in === part);
  if (params.length === 0 && part === "path") return undefined;
  return {
    type: "object",
    properties: Object.fromEntries(params.map((p) => [p.name, refInto(id, p.schema ?? {})])),
    required: params.filter((p) => p.required).map((p) => p.name),
    // Unknown query parameters are ignored, as HTTP APIs commonly do (cache-busters, tracking tags), so
    // the mock is no stricter than the spec. But bracket syntax (`page[]=1`, `limit[x]=5`) asks for an
    // array or object parameter, which this API has none of: that is refused, naming the parameter.
    ...(part === "query" ? { patternProperties: { "[\\[\\]]": false } } : {}),
  };
}

/** A check compiled the first time it runs: most runs of a test suite use few operations. */
function lazily(compile: () => ParametersCheck): ParametersCheck {
  let check: ParametersCheck | undefined;
  return (data) => {
    check ??= compile();
    return check(data);
  };
}

/** Compiled checks by spec id and operation, shared by every engine in the process. */
const validators = new Map<string, OperationValidator>();

export function createOperationValidator(op: Operation, spec: SpecRef = PUBLIC_SPEC): OperationValidator {
  const key = `${spec.id} ${op.method} ${op.path}`;
  const known = validators.get(key);
  if (known) return known;
  const pathSchema = parametersSchema(op, "path", spec.id);
  const querySchema = parametersSchema(op, "query", spec.id) as oas31.SchemaObject;
  const bodySchema = op.requestBody ? refInto(spec.id, op.requestBody.schema) : undefined;
  const path = pathSchema && lazily(() => compileParameters(spec, pathSchema));
  const body = bodySchema && lazily(() => compileBody(spec, bodySchema));
  const query = lazily(() => compileParameters(spec, querySchema));
  const validator: OperationValidator = (parts) => {
    const pathErrors = path?.(parts.path);
    if (pathErrors) throw invalid(pathErrors, "path");
    const bodyErrors = body?.(parts.body);
    if (bodyErrors) throw invalid(bodyErrors, "body");
    const queryErrors = query(parts.query);
    if (queryErrors) throw invalid(queryErrors, "query");
  };
  validators.set(key, validator);
  return validator;
}

/** At most this many problems are listed in one 400: a body with 90,000 unknown properties says enough with these. */
export const MAX_DETAILS = 50;

/** The 400 of a part that failed, naming each field and what is wrong with it (the first MAX_DETAILS, and how many). */
export function invalid(errors: readonly ErrorObject[], location: Location): HttpError {
  const all = toDetails(errors, location);
  const details = all.slice(0, MAX_DETAILS);
  const unnamed = location === "body" ? "(body)" : "(a parameter with no name)";
  const summary = details.map((d) => `${d.field || unnamed} ${d.message}`).join("; ");
  const what = location === "body" ? "The request body is invalid" : `A ${location} parameter is invalid`;
  const count = all.length > MAX_DETAILS ? ` (${all.length} problems in all; the first ${MAX_DETAILS} are listed)` : "";
  return new HttpError("invalid_request", `${what}: ${summary}${count}.`, details);
}
