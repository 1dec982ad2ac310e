/**
 * The spec against the vendor's reference: the same operations, each named, tagged and secured, with
 * the parameters, limits and request fields the reference documents. The reference is read as text here,
 * so a change on either side shows up as a failing sentence. The reference lives beside the repository
 * (vendor-docs.ts); without it these tests are skipped, loudly, and spec-operations.test.ts still holds the
 * operations, parameters, limits and body fields as a table.
 */
import type { oas31 } from "openapi3-ts";
import { describe, expect, it } from "vitest";
import { listOperations, type Operation, publicSpec, resolve } from "../../lib/spec.ts";
import { readVendorDoc, titled } from "../vendor-docs.ts";

const doc = readVendorDoc("converseiq-api-reference.txt");
const reference = doc.found ? doc.text : "";
const BASE = "https://api.converseiq.com.au/public/v1";

interface ReferenceOperation {
  method: string;
  /** Path with parameters as `{}`: the reference spells them `{{contactID}}`, the spec `{contactId}`. */
  shape: string;
  pathParams: number;
  query: string[];
  /** The reference's text from this endpoint line to the next. */
  block: string;
}

function referenceOperations(): ReferenceOperation[] {
  // The operations are listed after this heading; URLs before it are examples (`/chat?page=2&limit=10`).
  const lines = reference.slice(reference.indexOf("ConverseIQ API ENDPOINT Requests:")).split("\n");
  const found: ReferenceOperation[] = [];
  const pattern = /^(GET|POST|PUT|DELETE) (https:\/\/\S+)$/;
  lines.forEach((line, i) => {
    const match = pattern.exec(line.trim());
    if (!match?.[1] || !match[2]?.startsWith(BASE)) return;
    const [pathPart = "", queryPart = ""] = match[2].slice(BASE.length).split("?");
    let end = lines.findIndex((l, j) => j > i && pattern.test(l.trim()));
    if (end === -1) end = lines.length;
    found.push({
      method: match[1].toLowerCase(),
      shape: pathPart.replace(/\{\{[^}]+\}\}/g, "{}"),
      pathParams: (pathPart.match(/\{\{/g) ?? []).length,
      query: queryPart ? queryPart.split("&").map((kv) => kv.split("=")[0] ?? "") : [],
      block: lines.slice(i + 1, end).join("\n"),
    });
  });
  return found;
}

const shapeOf = (op: Operation) => op.path.replace(/\{[^}]+\}/g, "{}");
const key = (method: string, shape: string) => `${method.toUpperCase()} ${shape}`;
const refOps = referenceOperations();
const specOps = listOperations();
const specByKey = new Map(specOps.map((op) => [key(op.method, shapeOf(op)), op]));

/** The pagination limits as the reference's table states them: "Min: 1, Max: 100, Default: 20". */
const limitRow = /limit \| Int \| no \| .*Min: (\d+), Max: (\d+), Default: (\d+)/.exec(reference);

const paramSchema = (op: Operation, name: string) => {
  const param = op.parameters.find((p) => p.name === name);
  return param && { param, schema: resolve<oas31.SchemaObject>(publicSpec, param.schema ?? {}) };
};

/** The keys of the reference's "Body raw (json)" template of an endpoint, and which it marks required. */
function bodyTemplate(block: string): { keys: string[]; required: string[] } | undefined {
  const raw = /Body raw \(json\)\n(\{[^\n]*\})/.exec(block)?.[1];
  if (!raw) return undefined;
  const entries = [...raw.matchAll(/"(\w+)":\s*"[^"]*",?\s*\/\/\s*([^"}]*)/g)];
  return {
    keys: entries.map((e) => e[1] ?? ""),
    required: entries.filter((e) => /\brequired\b/.test(e[2] ?? "")).map((e) => e[1] ?? ""),
  };
}

describe.skipIf(!doc.found)(titled("the spec and the vendor's reference", doc), () => {
  it("list the same operations, each once", () => {
    expect(refOps).toHaveLength(specOps.length);
    expect(new Set(refOps.map((op) => key(op.method, op.shape)))).toEqual(new Set(specByKey.keys()));
  });

  it.each(refOps.map((op) => [key(op.method, op.shape), op] as const))(
    "%s has an operationId, a tag, a summary, a description and the API key",
    (_, ref) => {
      const op = specByKey.get(key(ref.method, ref.shape));
      expect(op?.id).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op?.tags).toHaveLength(1);
      expect(["Workspace", "Contact", "Chat", "Team"]).toContain(op?.tags[0]);
      expect(op?.security).toEqual([{ ApiKey: [] }]);
      const raw = publicSpec.paths?.[op?.path ?? ""]?.[op?.method ?? "get"] as oas31.OperationObject | undefined;
      expect(raw?.summary?.length).toBeGreaterThan(5);
      expect(raw?.description?.length).toBeGreaterThan(10);
    },
  );

  it("names x-api-key in the header as the API key of every operation", () => {
    expect(publicSpec.components?.securitySchemes?.ApiKey).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "x-api-key",
    });
  });

  it.each(refOps.filter((op) => op.pathParams > 0).map((op) => [key(op.method, op.shape), op] as const))(
    "%s takes each GUID of its path as a required uuid parameter",
    (_, ref) => {
      const op = specByKey.get(key(ref.method, ref.shape));
      const pathParams = op?.parameters.filter((p) => p.in === "path") ?? [];
      expect(pathParams).toHaveLength(ref.pathParams);
      for (const p of pathParams) {
        expect(p.required).toBe(true);
        expect(resolve<oas31.SchemaObject>(publicSpec, p.schema ?? {})).toMatchObject({
          type: "string",
          format: "uuid",
        });
      }
    },
  );

  const lists = refOps.filter((op) => /array of/i.test(op.block));
  it("finds five list operations in the reference", () => {
    expect(lists.map((op) => key(op.method, op.shape)).sort()).toEqual(
      ["GET /chat", "GET /chat/{}/message", "GET /contact", "GET /contact/search", "GET /team"].sort(),
    );
  });

  it.each(lists.map((op) => [key(op.method, op.shape), op] as const))(
    "%s pages with page (from 1) and limit (the reference's bounds and default) and answers the envelope",
    (_, ref) => {
      expect(limitRow).not.toBeNull();
      const [, min, max, byDefault] = (limitRow ?? []).map(Number);
      const op = specByKey.get(key(ref.method, ref.shape));
      if (!op) throw new Error("operation missing");
      expect(paramSchema(op, "page")?.schema).toMatchObject({ type: "integer", minimum: 1, default: 1 });
      expect(paramSchema(op, "limit")?.schema).toMatchObject({
        type: "integer",
        minimum: min,
        maximum: max,
        default: byDefault,
      });
      const page = resolve<oas31.SchemaObject>(
        publicSpec,
        op.responses.get("200")?.schemas.get("application/json") ?? {},
      );
      expect(page.required?.slice().sort()).toEqual(["data", "limit", "page", "pages", "total"]);
      expect(resolve<oas31.SchemaObject>(publicSpec, page.properties?.data ?? {}).type).toBe("array");
    },
  );

  it.each(refOps.filter((op) => op.query.length > 0).map((op) => [key(op.method, op.shape), op] as const))(
    "%s requires the query parameters of the reference's URL",
    (_, ref) => {
      const op = specByKey.get(key(ref.method, ref.shape));
      for (const name of ref.query)
        expect(op?.parameters.find((p) => p.in === "query" && p.name === name)?.required).toBe(true);
    },
  );

  const withBody = refOps.filter((op) => bodyTemplate(op.block));
  it("finds a body template for every POST and PUT", () => {
    expect(withBody.map((op) => key(op.method, op.shape)).sort()).toEqual(
      ["POST /contact", "PUT /contact/{}", "POST /chat", "POST /chat/{}/message", "PUT /chat/{}"].sort(),
    );
  });

  it.each(withBody.map((op) => [key(op.method, op.shape), op] as const))(
    "%s accepts exactly the body fields of the reference, requiring those it marks required",
    (_, ref) => {
      const template = bodyTemplate(ref.block);
      const op = specByKey.get(key(ref.method, ref.shape));
      const schema = resolve<oas31.SchemaObject>(publicSpec, op?.requestBody?.schema ?? {});
      expect(op?.requestBody?.required).toBe(true);
      expect(Object.keys(schema.properties ?? {}).sort()).toEqual(template?.keys.slice().sort());
      expect(schema.required ?? []).toEqual(expect.arrayContaining(template?.required ?? []));
    },
  );

  it.each(refOps.filter((op) => op.method === "delete").map((op) => [key(op.method, op.shape)] as const))(
    "%s answers 200 with an empty body",
    (name) => {
      const ok = specByKey.get(name)?.responses.get("200");
      expect(ok).toBeDefined();
      expect(ok?.contentTypes).toEqual([]);
    },
  );

  it("documents that messages are listed newest first", () => {
    const op = specOps.find((o) => o.id === "listChatMessages");
    expect(reference).toMatch(/Message objects of selected chat in DESC order/);
    const raw = publicSpec.paths?.[op?.path ?? ""]?.get as oas31.OperationObject | undefined;
    expect(raw?.description).toMatch(/newest first/);
  });
});
