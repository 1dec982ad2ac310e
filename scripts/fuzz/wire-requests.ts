/**
 * The requests of the fuzz run, as they go on the wire: for every public and admin operation of the specs,
 * requests derived from the operation (all valid, or one part broken: contract-tests/fuzz/requests.ts), and
 * the same mangled the ways a careless or hostile client would (a body that is not JSON, a wrong content type
 * or charset, huge numbers, a missing, wrong or repeated key, odd headers, a path or method no operation has).
 */
import fc from "fast-check";
import type { oas31 } from "openapi3-ts";
import { createDeriver, type Pools } from "../../contract-tests/fuzz/arbitraries.ts";
import { type FuzzRequest, hasInput, requestArbitrary } from "../../contract-tests/fuzz/requests.ts";
import { adminSpec, listOperations, type Operation, publicSpec, resolve } from "../../lib/spec.ts";
import { ADMIN_PREFIX, PUBLIC_PREFIX } from "../../mock-server/mock-options.ts";

export interface WireRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string | string[]>;
  /** The body's text, sent as is. */
  body?: string;
  /** What it is: the operation and how it was made (`createContact, the body broken`). */
  label: string;
}

export interface Target {
  apiKey: string;
  /** Where a webhook the run subscribes is delivered: a local sink, so that no delivery leaves the machine. */
  webhookUrl: string;
  /** Ids that exist, by the names of the parameters and properties that hold them. */
  pools: Pools;
}

/** Every operation fuzzed: the public ones under the public prefix, the admin ones where they are. */
export function fuzzedOperations(): { op: Operation; prefix: string; admin: boolean }[] {
  return [
    ...listOperations(publicSpec).map((op) => ({ op, prefix: PUBLIC_PREFIX, admin: false })),
    ...listOperations(adminSpec).map((op) => ({ op, prefix: "", admin: true })),
  ];
}

const HUGE_NUMBERS = ["1e308", "99999999999999999999999", "-1e26", "9007199254740993", "NaN", "Infinity", "0x10"];
const ODD_CONTENT_TYPES = [
  "text/plain",
  "application/xml",
  "application/json; charset=utf-16",
  "application/json; charset=latin1",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "",
];
const BAD_JSON = ["{", '{"name":', "[1,2", "nul", '{"a":1}}', "\u0000", "{'single':1}", '{"__proto__":{"x":1}}'];
const ODD_METHODS = ["PATCH", "OPTIONS", "HEAD", "PROPFIND", "TRACE", "PURGE", "DELETE", "PUT"];

function queryString(query: Record<string, string | number | undefined> | string | undefined): string {
  if (query === undefined) return "";
  if (typeof query === "string") return query === "" ? "" : `?${query}`;
  const text = new URLSearchParams(
    Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
  ).toString();
  return text === "" ? "" : `?${text}`;
}

/** Methods that never change the state: the mock asks no content type of them. */
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

function toWire(request: FuzzRequest, prefix: string, target: Target, label: string): WireRequest {
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  // An admin write goes as JSON even with no body, as a program sends it (the mock refuses the others: a
  // web page can send them without asking); a public request names a content type only for its body.
  const path = `${prefix}${request.path}`;
  const json = body !== undefined || (path.startsWith(ADMIN_PREFIX) && !READS.has(request.method.toUpperCase()));
  return {
    method: request.method,
    url: `${path}${queryString(request.query)}`,
    headers: {
      "x-api-key": target.apiKey,
      ...(json ? { "content-type": "application/json" } : {}),
    },
    ...(body === undefined ? {} : { body }),
    label,
  };
}

/** One way to spoil a request that was fine. */
type Mangle = fc.Arbitrary<(request: WireRequest) => WireRequest>;

const relabel = (request: WireRequest, how: string): string => `${request.label}, ${how}`;

const MANGLES: Mangle[] = [
  fc.constantFrom(...BAD_JSON).map((text) => (r: WireRequest) => ({
    ...r,
    body: text,
    headers: { ...r.headers, "content-type": "application/json" },
    label: relabel(r, `body ${JSON.stringify(text)}`),
  })),
  fc.constantFrom(...ODD_CONTENT_TYPES).map((type) => (r: WireRequest) => ({
    ...r,
    headers: { ...r.headers, "content-type": type },
    body: r.body ?? "{}",
    label: relabel(r, `content-type "${type}"`),
  })),
  fc
    .tuple(fc.constantFrom("page", "limit", "offset", "q"), fc.constantFrom(...HUGE_NUMBERS))
    .map(([name, value]) => (r: WireRequest) => ({
      ...r,
      url: `${r.url}${r.url.includes("?") ? "&" : "?"}${name}=${encodeURIComponent(value)}`,
      label: relabel(r, `${name}=${value}`),
    })),
  fc.constantFrom("missing", "wrong", "repeated", "empty").map((how) => (r: WireRequest) => {
    const { "x-api-key": key, ...rest } = r.headers;
    const headers =
      how === "missing"
        ? rest
        : how === "wrong"
          ? { ...rest, "x-api-key": "not-a-key" }
          : how === "empty"
            ? { ...rest, "x-api-key": "" }
            : { ...rest, "x-api-key": [String(key), String(key)] };
    return { ...r, headers, label: relabel(r, `key ${how}`) };
  }),
  fc
    .constantFrom<[string, string]>(
      ["accept", "application/xml"],
      ["accept", "*/*;q=0"],
      ["prefer", "code=999"],
      ["prefer", "dynamic=true, code=abc"],
      ["x-odd", "x".repeat(6000)],
      ["if-none-match", "*"],
      ["content-encoding", "gzip"],
    )
    .map(([name, value]) => (r: WireRequest) => ({
      ...r,
      headers: { ...r.headers, [name]: value },
      label: relabel(r, `header ${name}: ${value.length > 40 ? `${value.slice(0, 10)}... (${value.length})` : value}`),
    })),
  fc
    .oneof(
      fc.constantFrom("/nowhere", "/..", "/%2e%2e/admin", "/%00", "/contact/../../etc", "//", "/__proto__"),
      fc.webPath().map((p) => p.split("?")[0] as string),
    )
    .map((tail) => (r: WireRequest) => ({
      ...r,
      url: `${r.url.split("?")[0]}${tail}`,
      label: relabel(r, `path + ${tail}`),
    })),
  fc.constantFrom(...ODD_METHODS).map((method) => (r: WireRequest) => ({
    ...r,
    method,
    label: relabel(r, `method ${method}`),
  })),
];

/** A body with a webhook's `url` gets the local sink's instead. */
function toSink(body: unknown, target: Target): unknown {
  if (typeof body !== "object" || body === null || !("url" in body) || typeof body.url !== "string") return body;
  return { ...body, url: target.webhookUrl };
}

/** Whether every text is a valid value of the parameter (a string with no format, pattern, enum or length). */
function anyText(doc: oas31.OpenAPIObject, parameter: oas31.ParameterObject): boolean {
  const schema = resolve<oas31.SchemaObject>(doc, parameter.schema ?? {});
  const limited = ["format", "pattern", "enum", "minLength", "maxLength", "const"].some((k) => k in schema);
  return schema.type === "string" && !limited;
}

/**
 * A seed's sizes brought under 100: a valid reset may ask for two million contacts, which is a benchmark's
 * work (`npm run bench`), not a fuzz run's, and the run digests the whole state after every request.
 */
function smallSizes(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      typeof value === "number" && Number.isInteger(value) && value > 100 ? 1 + (value % 100) : smallSizes(value),
    ]),
  );
}

/** The requests of the run over `target`: valid, broken by the spec, and mangled, about one in three each. */
export function wireRequestArbitrary(target: Target): fc.Arbitrary<WireRequest> {
  // A webhook's `url` has a pattern the deriver does not make values for: the sink's URL is its pool.
  const pools = { url: [target.webhookUrl], ...target.pools };
  const publicDeriver = createDeriver({ pools });
  const adminDeriver = createDeriver({ doc: adminSpec, pools });
  const perOperation = fuzzedOperations().map(({ op: whole, prefix, admin }) => {
    // Header parameters (a workspace's key) are left to the mangles, which send the key missing, wrong or
    // repeated: the derived requests travel without headers of their own.
    const op = { ...whole, parameters: whole.parameters.filter((p) => p.in === "path" || p.in === "query") };
    const deriver = admin ? adminDeriver : publicDeriver;
    const decorate = (body: unknown) => (admin ? smallSizes(toSink(body, target)) : body);
    const valid = requestArbitrary(op, deriver, "valid", decorate).map((r) =>
      toWire(r, prefix, target, `${op.id}, valid`),
    );
    const made: fc.Arbitrary<WireRequest>[] = [valid];
    // A parameter that any text fits (a plain string) cannot be broken: the broken requests leave it out.
    const breakable = { ...op, parameters: op.parameters.filter((p) => !anyText(admin ? adminSpec : publicSpec, p)) };
    if (hasInput(breakable)) {
      made.push(
        requestArbitrary(breakable, deriver, "invalid").map((r) =>
          toWire(r, prefix, target, `${op.id}, ${r.broken ?? "broken"}`),
        ),
      );
    }
    made.push(fc.tuple(valid, fc.oneof(...MANGLES)).map(([r, mangle]) => mangle(r)));
    return fc.oneof(...made);
  });
  return fc.oneof(...perOperation);
}
