/**
 * Whole requests for an operation, derived from its parameters and body in the spec: all valid, or with
 * exactly one part broken (a path or query parameter, a missing required one, the body, or no body).
 * Parameters are judged as text, as they travel in a URL.
 */
import fc from "fast-check";
import type { oas31 } from "openapi3-ts";
import type { Operation } from "../../lib/spec.ts";
import type { RawRequest } from "../support/target.ts";
import type { Deriver } from "./arbitraries.ts";

export interface FuzzRequest extends RawRequest {
  /** Which part was broken on purpose (invalid requests only). */
  broken?: string;
}

/** Every literal segment of the spec's paths: an invalid id equal to one would route elsewhere. */
const literalSegments = new Set(["contact", "search", "chat", "message", "team", "workspace", "me"]);

const asText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));
const encodable = (text: string) => {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

export function requestArbitrary(
  op: Operation,
  deriver: Deriver,
  mode: "valid" | "invalid",
  decorate: (body: unknown) => unknown = (body) => body,
): fc.Arbitrary<FuzzRequest> {
  const params = op.parameters;
  const schemaOf = (p: oas31.ParameterObject) => (p.schema ?? {}) as oas31.SchemaObject;
  const validParam = (p: oas31.ParameterObject) =>
    deriver
      .valid(schemaOf(p), p.name)
      .map(asText)
      .filter((text) => deriver.accepts(schemaOf(p), text, true) && encodable(text));
  const invalidParam = (p: oas31.ParameterObject) =>
    deriver
      .invalid(schemaOf(p), p.name)
      .map(asText)
      .filter((text) => !deriver.accepts(schemaOf(p), text, true) && encodable(text))
      .filter((text) => p.in !== "path" || (text !== "" && !/^\.{1,2}$/.test(text) && !literalSegments.has(text)));

  const validParams = fc.record(
    Object.fromEntries(
      params.map((p) => [
        `${p.in}:${p.name}`,
        p.required ? validParam(p) : fc.option(validParam(p), { nil: undefined }),
      ]),
    ),
  );
  const body = op.requestBody;
  const validBody = body ? deriver.valid(body.schema).map(decorate) : fc.constant(undefined);

  const build = (values: Record<string, string | undefined>, payload: unknown, broken?: string): FuzzRequest => {
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[`path:${name}`] ?? ""));
    const query: Record<string, string> = {};
    for (const p of params) {
      const value = values[`query:${p.name}`];
      if (p.in === "query" && value !== undefined) query[p.name] = value;
    }
    return {
      method: op.method.toUpperCase(),
      path,
      query,
      ...(payload === undefined ? {} : { body: payload }),
      ...(broken ? { broken } : {}),
    };
  };

  if (mode === "valid") return fc.tuple(validParams, validBody).map(([values, payload]) => build(values, payload));

  const breakers: fc.Arbitrary<FuzzRequest>[] = [];
  for (const p of params) {
    const key = `${p.in}:${p.name}`;
    breakers.push(
      fc
        .tuple(validParams, invalidParam(p), validBody)
        .map(([values, bad, payload]) => build({ ...values, [key]: bad }, payload, `${p.in} parameter ${p.name}`)),
    );
    if (p.required && p.in === "query") {
      breakers.push(
        fc
          .tuple(validParams, validBody)
          .map(([values, payload]) => build({ ...values, [key]: undefined }, payload, `no ${p.name}`)),
      );
    }
  }
  if (body) {
    breakers.push(
      fc
        .tuple(validParams, deriver.invalid(body.schema))
        .map(([values, payload]) => build(values, payload, "the body")),
    );
    if (body.required) breakers.push(validParams.map((values) => build(values, undefined, "no body")));
  }
  if (breakers.length === 0) throw new Error(`${op.id} has nothing that can be made invalid`);
  return fc.oneof(...breakers);
}

/** Whether an operation takes anything a request could get wrong. */
export const hasInput = (op: Operation) => op.parameters.length > 0 || op.requestBody !== null;
