/**
 * The bundled spec as data: the operations the API has, their parameters, bodies and responses.
 * Everything that routes, validates or tests by the spec reads it from here, never from a copy.
 */
import type { oas31 } from "openapi3-ts";
import adminBundled from "../generated/admin-openapi.json" with { type: "json" };
import bundled from "../generated/openapi.json" with { type: "json" };
import type { operations } from "../generated/types.ts";

/**
 * The operations of the spec's `webhooks` (requests the platform sends, not the API's) are named
 * `...Webhook`; openapi-typescript lists them in `operations` beside the paths' operations.
 */
export type WebhookOperationId = Extract<keyof operations, `${string}Webhook`>;
/** An operation of the API's paths. */
export type OperationId = Exclude<keyof operations, WebhookOperationId>;
export type HttpMethod = "get" | "put" | "post" | "delete" | "patch" | "head" | "options" | "trace";
const methods: readonly HttpMethod[] = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** The public API's bundled spec: every `$ref` in it points inside it (`#/components/...`). */
export const publicSpec = bundled as unknown as oas31.OpenAPIObject;
/** The mock's admin API (not part of ConverseIQ's API). */
export const adminSpec = adminBundled as unknown as oas31.OpenAPIObject;

export interface ResponseSpec {
  /** Media types documented for this status; empty when the response has no body. */
  contentTypes: string[];
  /** JSON pointer (`#/components/schemas/Contact`) or inline schema of the body, by media type. */
  schemas: Map<string, oas31.SchemaObject | oas31.ReferenceObject>;
  /** Response headers documented for this status, by lower-cased name. */
  headers: Map<string, oas31.HeaderObject>;
  example: unknown;
}

export interface Operation {
  id: OperationId;
  method: HttpMethod;
  /** The path template as in the spec: `/contact/{contactId}`. */
  path: string;
  tags: string[];
  parameters: oas31.ParameterObject[];
  requestBody: { required: boolean; contentTypes: string[]; schema: oas31.SchemaObject | oas31.ReferenceObject } | null;
  /** By status code as written in the spec (`"200"`, `"404"`, `"default"`). */
  responses: Map<string, ResponseSpec>;
  security: oas31.SecurityRequirementObject[];
}

/** Follows a local `$ref` (`#/components/...`) to the object it names; other objects come back as they are. */
export function resolve<T>(doc: oas31.OpenAPIObject, value: T | oas31.ReferenceObject): T {
  let current: unknown = value;
  for (let hops = 0; isRef(current); hops++) {
    if (hops > 32) throw new Error(`$ref chain too long at ${current.$ref}`);
    current = pointer(doc, current.$ref);
  }
  return current as T;
}

export function isRef(value: unknown): value is oas31.ReferenceObject {
  return typeof value === "object" && value !== null && typeof (value as { $ref?: unknown }).$ref === "string";
}

/** Reads a local JSON pointer (`#/a/b~1c`) in a document. */
export function pointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) throw new Error(`Only local $refs are bundled; got ${ref}`);
  const parts = ref
    .slice(1)
    .split("/")
    .slice(1)
    .map((p) => decodeURIComponent(p).replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = doc;
  for (const part of parts) {
    if (typeof node !== "object" || node === null || !(part in node)) throw new Error(`Unresolvable $ref ${ref}`);
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Every operation of a spec, in the spec's order, with path-level and operation-level parameters merged. */
export function listOperations(doc: oas31.OpenAPIObject = publicSpec): Operation[] {
  const result: Operation[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolve<oas31.PathItemObject>(doc, rawItem);
    for (const method of methods) {
      const op = item[method];
      if (!op) continue;
      if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      const byKey = new Map<string, oas31.ParameterObject>();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const param = resolve<oas31.ParameterObject>(doc, p);
        byKey.set(`${param.in}:${param.name}`, param);
      }
      result.push({
        id: op.operationId as OperationId,
        method,
        path,
        tags: op.tags ?? [],
        parameters: [...byKey.values()],
        requestBody: readBody(doc, op.requestBody),
        responses: readResponses(doc, op.responses ?? {}),
        security: op.security ?? doc.security ?? [],
      });
    }
  }
  return result;
}

function readBody(doc: oas31.OpenAPIObject, raw: oas31.OperationObject["requestBody"]): Operation["requestBody"] {
  if (!raw) return null;
  const body = resolve<oas31.RequestBodyObject>(doc, raw);
  const [first] = Object.values(body.content);
  return { required: body.required ?? false, contentTypes: Object.keys(body.content), schema: first?.schema ?? {} };
}

function readResponses(doc: oas31.OpenAPIObject, raw: oas31.ResponsesObject): Map<string, ResponseSpec> {
  const result = new Map<string, ResponseSpec>();
  for (const [status, value] of Object.entries(raw)) {
    const response = resolve<oas31.ResponseObject>(doc, value as oas31.ResponseObject | oas31.ReferenceObject);
    const content = response.content ?? {};
    const schemas = new Map<string, oas31.SchemaObject | oas31.ReferenceObject>();
    let example: unknown;
    for (const [type, media] of Object.entries(content)) {
      if (media.schema) schemas.set(type, media.schema);
      example ??= media.example ?? (media.schema ? resolve<oas31.SchemaObject>(doc, media.schema).example : undefined);
    }
    const headers = new Map<string, oas31.HeaderObject>();
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      headers.set(name.toLowerCase(), resolve<oas31.HeaderObject>(doc, header));
    }
    result.set(status, { contentTypes: Object.keys(content), schemas, headers, example });
  }
  return result;
}

/** The documented response for a status: the exact code, then its range (`4XX`), then `default`. */
export function responseFor(op: Operation, status: number): { key: string; response: ResponseSpec } | undefined {
  for (const key of [String(status), `${String(status)[0]}XX`, "default"]) {
    const response = op.responses.get(key);
    if (response) return { key, response };
  }
  return undefined;
}
