/**
 * Request validation from the spec: each operation's path parameters, query and body become JSON Schemas
 * that point into the bundled spec, compiled once by Ajv (on first use). Query and path values arrive as
 * strings and are coerced to the types the spec gives them; the body is never coerced.
 */
import type { Ajv2020, ValidateFunction } from "ajv/dist/2020.js";
import type { FastifySchema, FastifySchemaCompiler } from "fastify";
import type { oas31 } from "openapi3-ts";
import { createAjv, refInto } from "../../lib/ajv.ts";
import type { Operation } from "../../lib/spec.ts";
import { withDecimalIntegers } from "../engine/integer-parameters.ts";

type Validator = ReturnType<FastifySchemaCompiler<oas31.SchemaObject>>;

/** The id the public spec is registered under; the admin spec uses its own (see admin/validation.ts). */
export const SPEC_ID = "openapi.json";

/**
 * Compilers by spec and id. A compiled validator is a pure function of its schema, so every app in a
 * process shares them: the first app compiles (~100 ms), later ones (tests, `reset`) start in a few ms.
 */
const compilers = new WeakMap<oas31.OpenAPIObject, Map<string, FastifySchemaCompiler<oas31.SchemaObject>>>();

export function createValidatorCompiler(
  doc: oas31.OpenAPIObject,
  id: string = SPEC_ID,
): FastifySchemaCompiler<oas31.SchemaObject> {
  let byId = compilers.get(doc);
  if (!byId) {
    byId = new Map();
    compilers.set(doc, byId);
  }
  const known = byId.get(id);
  if (known) return known;
  const documents = [{ id, doc }];
  // verbose: anyOf errors carry their branches, so "at least one of agent, bot, contact" can be said.
  // validateSchema off: the schemas are the spec's, linted (Redocly, Spectral) and compiled by the tests;
  // checking them against the meta-schema again made each Ajv compile the meta-schema, ~40 ms per start.
  let forParameters: Ajv2020 | undefined;
  let forBodies: Ajv2020 | undefined;
  const compiled = new Map<string, Validator>();
  const compiler: FastifySchemaCompiler<oas31.SchemaObject> = ({ schema, httpPart }) => {
    const forBody = httpPart === "body";
    const key = `${forBody ? "body" : "parameters"} ${JSON.stringify(schema)}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = onFirstCall(() => {
        if (forBody) {
          forBodies ??= createAjv(documents, { verbose: true, validateSchema: false });
          return forBodies.compile(schema);
        }
        forParameters ??= createAjv(documents, {
          coerceTypes: true,
          useDefaults: true,
          verbose: true,
          validateSchema: false,
        });
        const check = withDecimalIntegers(forParameters.compile(schema), schema, doc, id);
        return (data: unknown) => {
          const errors = check(data);
          return errors ? { error: errors } : true;
        };
      });
      compiled.set(key, validate);
    }
    return validate;
  };
  byId.set(id, compiler);
  return compiler;
}

/**
 * A validator compiled when it is first used rather than at start-up: compiling every route's schemas
 * took most of the mock's start-up time (about 300 ms of 1 s), and a run of a test suite uses few routes.
 * It answers as Fastify expects: `true`, or `{ error }` with Ajv's errors.
 */
function onFirstCall(compile: () => Validator | ValidateFunction): Validator {
  let validate: Validator | ValidateFunction | undefined;
  return (data: unknown) => {
    validate ??= compile();
    const result = validate(data);
    return result === false ? { error: (validate as ValidateFunction).errors ?? [] } : result;
  };
}

/** The Fastify route schema of an operation, every part of it taken from the spec. */
export function routeSchema(op: Operation, id: string = SPEC_ID): FastifySchema {
  const schema: FastifySchema = {};
  for (const part of ["path", "query"] as const) {
    const params = op.parameters.filter((p) => p.in === part);
    if (params.length === 0 && part === "path") continue;
    const object = {
      type: "object",
      properties: Object.fromEntries(params.map((p) => [p.name, refInto(id, p.schema ?? {})])),
      required: params.filter((p) => p.required).map((p) => p.name),
      // Unknown query parameters are ignored, as HTTP APIs commonly do (cache-busters, tracking tags), so
      // the mock is no stricter than the spec. But bracket syntax (`page[]=1`, `limit[x]=5`) asks for an
      // array or object parameter, which this API has none of: that is refused, naming the parameter.
      ...(part === "query" ? { patternProperties: { "[\\[\\]]": false } } : {}),
    };
    if (part === "path") schema.params = object;
    else schema.querystring = object;
  }
  if (op.requestBody) schema.body = refInto(id, op.requestBody.schema);
  return schema;
}
