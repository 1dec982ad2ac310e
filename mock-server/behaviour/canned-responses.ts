/**
 * The documented responses of an operation, ready to send as they are: for each status a client may ask
 * for with `Prefer: code=`, its required headers and its examples as JSON text. Built once at start-up
 * from the spec, so that answering a `Prefer` costs a map lookup.
 *
 * Which statuses: those the operation lists (`"404"`), and those its `default` (or `5XX`) response covers
 * in the mock's error catalogue: 500 `internal_error` and 503 `service_unavailable`. An error status
 * whose response has no example of its own gets a body built from the catalogue (`{code, message}`),
 * which the `Error` schema accepts; a success status with no example has none, and asking for it is a 400.
 */
import type { oas31 } from "openapi3-ts";
import { CODE_BY_STATUS, STATUS_BY_CODE } from "../../generated/rules.ts";
import { type Operation, publicSpec, resolve } from "../../lib/spec.ts";
import type { ErrorCode } from "../store/types.ts";

export interface DocumentedStatus {
  status: number;
  /** The documented response it comes from: `"404"`, `"5XX"`, `"default"`. */
  specKey: string;
  /** The response's required headers, with their documented example values. */
  headers: Record<string, string>;
  /** False when the documented response has no body (a DELETE's 200). */
  hasBody: boolean;
  /** Examples by name, as JSON text. The single `example` is named `default`, as Prism names it. */
  examples: Map<string, string>;
}

export interface CannedTable {
  operationId: string;
  statuses: Map<number, DocumentedStatus>;
  /** The status a `Prefer: example=` without a code picks, as in Prism: the lowest documented 2xx. */
  success: number | undefined;
}

/**
 * Codes only the validating proxy sends (mock-server/proxy/), never the mock: a `default` or `5XX` response
 * does not make the mock answer their statuses (403, 502, 504).
 */
const PROXY_ONLY = new Set<ErrorCode>(["forbidden", "upstream_unreachable", "upstream_timeout"]);
const CATALOGUE = (Object.entries(STATUS_BY_CODE) as [ErrorCode, number][]).filter(([code]) => !PROXY_ONLY.has(code));
const catalogueCode = (status: number): ErrorCode | undefined => CODE_BY_STATUS[status as keyof typeof CODE_BY_STATUS];

export function cannedResponses(op: Operation, doc: oas31.OpenAPIObject = publicSpec): CannedTable {
  const raw = rawResponses(doc, op);
  const covered = new Map<number, string>();
  for (const key of op.responses.keys()) if (/^\d{3}$/.test(key)) covered.set(Number(key), key);
  for (const key of op.responses.keys()) {
    const range = /^([1-5])XX$/i.exec(key)?.[1];
    const server = key === "default";
    for (const [, status] of CATALOGUE) {
      if (covered.has(status)) continue;
      if ((range && String(status)[0] === range) || (server && status >= 500)) covered.set(status, key);
    }
  }

  const statuses = new Map<number, DocumentedStatus>();
  for (const [status, specKey] of [...covered].sort(([a], [b]) => a - b)) {
    const response = op.responses.get(specKey);
    if (!response) continue;
    const hasBody = response.contentTypes.length > 0;
    const examples = new Map<string, unknown>();
    if (hasBody) {
      if (response.example !== undefined) examples.set("default", response.example);
      for (const [name, value] of namedExamples(doc, raw[specKey])) examples.set(name, value);
      // A response shared by several statuses (`default`) keeps only the examples that fit this one.
      for (const [name, value] of examples) if (!fitsStatus(value, status)) examples.delete(name);
      const code = catalogueCode(status);
      if (examples.size === 0 && status >= 400 && code) {
        examples.set("default", {
          code,
          message: `The server answered ${status} (${code}), as asked with Prefer: code=${status}.`,
        });
      }
    }
    statuses.set(status, {
      status,
      specKey,
      headers: requiredHeaders(doc, response.headers),
      hasBody,
      examples: new Map([...examples].map(([name, value]) => [name, JSON.stringify(value)])),
    });
  }
  const success = [...statuses.keys()].find((s) => s >= 200 && s < 300);
  return { operationId: op.id, statuses, success };
}

function rawResponses(doc: oas31.OpenAPIObject, op: Operation): oas31.ResponsesObject {
  const item = doc.paths?.[op.path];
  const operation = item ? resolve<oas31.PathItemObject>(doc, item)[op.method] : undefined;
  return operation?.responses ?? {};
}

/** The OpenAPI `examples` map of a response's media types (Example Objects with a `value`). */
function namedExamples(doc: oas31.OpenAPIObject, raw: unknown): Map<string, unknown> {
  const result = new Map<string, unknown>();
  if (raw === undefined) return result;
  const response = resolve<oas31.ResponseObject>(doc, raw as oas31.ResponseObject);
  for (const media of Object.values(response.content ?? {})) {
    for (const [name, example] of Object.entries(media.examples ?? {})) {
      const resolved = resolve<oas31.ExampleObject>(doc, example);
      if (resolved.value !== undefined && !result.has(name)) result.set(name, resolved.value);
    }
  }
  return result;
}

/** An `Error` body fits a status when its catalogue code has that status; other bodies always fit. */
function fitsStatus(value: unknown, status: number): boolean {
  const code = typeof value === "object" && value !== null ? (value as { code?: unknown }).code : undefined;
  return typeof code !== "string" || !(code in STATUS_BY_CODE) || STATUS_BY_CODE[code as ErrorCode] === status;
}

function requiredHeaders(doc: oas31.OpenAPIObject, headers: Map<string, oas31.HeaderObject>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, header] of headers) {
    if (!header.required) continue;
    const schema = header.schema ? resolve<oas31.SchemaObject>(doc, header.schema) : undefined;
    const value = header.example ?? schema?.example ?? schema?.default ?? schema?.minimum ?? "";
    result[name] = String(value);
  }
  return result;
}
