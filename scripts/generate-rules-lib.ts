/**
 * `generated/rules.ts`: the rules the spec states once and code reads everywhere, as constants: the base URL
 * and its path, the body limit, the HTTP status of each error code, and the page envelope's type. Each is
 * read from the bundled public spec; a spec that does not state one (or states it inconsistently) fails the
 * generation, naming what is wrong.
 */

/** `servers[0].url` and its path part: where the API's paths start, on the live server and on the mock. */
function baseUrl(doc: Record<string, unknown>): { url: string; path: string } {
  const servers = doc.servers as { url?: unknown }[] | undefined;
  const url = servers?.[0]?.url;
  if (typeof url !== "string") throw new Error("The spec declares no servers[0].url");
  return { url, path: new URL(url).pathname.replace(/\/$/, "") };
}

/** The root's `x-max-body-bytes`. */
function maxBodyBytes(doc: Record<string, unknown>): number {
  const value = doc["x-max-body-bytes"];
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new Error("The spec's root has no x-max-body-bytes (a positive integer): the largest request body");
  }
  return value as number;
}

/** Error's `code`: its enum, and `x-status`, the HTTP status of each code, in the enum's order. */
function statusByCode(doc: Record<string, unknown>): [string, number][] {
  const schemas = (doc.components as { schemas?: Record<string, Record<string, unknown>> } | undefined)?.schemas;
  const code = (schemas?.Error?.properties as Record<string, Record<string, unknown>> | undefined)?.code;
  const codes = code?.enum as string[] | undefined;
  const statuses = code?.["x-status"] as Record<string, unknown> | undefined;
  if (!codes || !statuses) throw new Error("The Error schema's code has no enum or no x-status");
  const missing = codes.filter((c) => !Number.isInteger(statuses[c]));
  const unknown = Object.keys(statuses).filter((c) => !codes.includes(c));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `Error.code's x-status must give a status to each code of its enum, and only to them: ${[
        ...missing.map((c) => `${c} has none`),
        ...unknown.map((c) => `${c} is not in the enum`),
      ].join("; ")}`,
    );
  }
  return codes.map((c) => [c, statuses[c] as number]);
}

const ENVELOPE = ["page", "limit", "pages", "total"];

/**
 * The component schemas that are list pages (`data`, an array, beside `page`, `limit`, `pages`, `total`).
 * Their envelope fields must be the same in each, since one type stands for them all.
 */
function pageSchemas(doc: Record<string, unknown>): string[] {
  const schemas = (doc.components as { schemas?: Record<string, Record<string, unknown>> } | undefined)?.schemas ?? {};
  const pages = Object.entries(schemas).filter(([, schema]) => {
    const properties = schema.properties as Record<string, { type?: unknown }> | undefined;
    return properties?.data?.type === "array" && ENVELOPE.every((name) => name in properties);
  });
  if (pages.length === 0) throw new Error("The spec has no page schema ({ data, page, limit, pages, total })");
  const envelope = ([, schema]: [string, Record<string, unknown>]) =>
    JSON.stringify({
      required: schema.required,
      properties: ENVELOPE.map((name) => (schema.properties as Record<string, unknown>)[name]),
    });
  const first = pages[0] as [string, Record<string, unknown>];
  const different = pages.filter((page) => envelope(page) !== envelope(first)).map(([name]) => name);
  if (different.length > 0) {
    throw new Error(`Page schemas must share one envelope; ${different.join(", ")} differ from ${first[0]}`);
  }
  return pages.map(([name]) => name);
}

const literal = (value: unknown) => JSON.stringify(value);

/** The content of `generated/rules.ts`, made from the bundled public spec, under `header`. */
export function generateRules(doc: Record<string, unknown>, header: string): string {
  const base = baseUrl(doc);
  const statuses = statusByCode(doc);
  const general = new Map<number, string>();
  for (const [code, status] of statuses) if (!general.has(status)) general.set(status, code);
  const pages = pageSchemas(doc);
  return [
    `/**\n * ${header}\n */`,
    "",
    'import type { components } from "./types.ts";',
    "",
    "/** The live API's root URL: the spec's `servers[0].url`. */",
    `export const API_BASE_URL = ${literal(base.url)};`,
    "/** The path part of `API_BASE_URL`: where the API's paths start, on the live server and on the mock. */",
    `export const API_BASE_PATH = ${literal(base.path)};`,
    "",
    "/** The largest request body the API takes, in bytes (the root's `x-max-body-bytes`); a larger one is a 413. */",
    `export const MAX_BODY_BYTES = ${maxBodyBytes(doc)};`,
    "",
    'export type ErrorCode = components["schemas"]["Error"]["code"];',
    "",
    "/** The HTTP status each error code is sent with (`x-status` on the Error schema's `code`), in the enum's order. */",
    "export const STATUS_BY_CODE = {",
    ...statuses.map(([code, status]) => `  ${code}: ${status},`),
    "} as const satisfies Record<ErrorCode, number>;",
    "",
    "/** The general code of each status: the first code `x-status` lists with it. */",
    "export const CODE_BY_STATUS = {",
    ...[...general].map(([status, code]) => `  ${status}: ${literal(code)},`),
    "} as const satisfies Record<number, ErrorCode>;",
    "",
    "/** The component schemas that are list pages; they share one envelope. */",
    `export type PageSchemaName = ${pages.map(literal).join(" | ")};`,
    "",
    "/** A list answer, `{ data, page, limit, pages, total }`, with items of type `Item`. */",
    'export type Page<Item> = Omit<components["schemas"][PageSchemaName], "data"> & { data: Item[] };',
    "",
  ].join("\n");
}
