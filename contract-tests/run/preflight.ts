/**
 * The preflight: before any suite runs, one request that says whether a run can be made at all. A target
 * that cannot be reached, that is not this API, or that refuses the key would otherwise fail every check
 * of every suite, and the one thing to fix would drown in hundreds of failures.
 *
 * The request is a GET of the spec's first list operation that needs nothing filled in (found by shape,
 * `support/lists.ts`), with the key where the spec's security scheme puts it. The answer decides:
 * - no answer (connection refused, unknown host, TLS, no answer within the time limit), or a gateway's
 *   502, 503 or 504 that is not JSON (the server behind it is down): `unreachable`;
 * - 401 or 403: `key-refused`;
 * - 404, or an answer that is not JSON (an HTML page, a login form): `not-this-api`;
 * - any other JSON answer, and any other server error: the run can be made (a wrong answer, or a 500 of
 *   the list itself, is a defect for the suites to report, not a reason to check nothing).
 * Each problem is one line saying what to fix.
 */
import type { oas31 } from "openapi3-ts";
import { publicSpec } from "../../lib/spec.ts";
import { listOperationsOf, parametersToFill } from "../support/lists.ts";

/** Why a run cannot be made; `admin-token`: the target is a mock whose admin API wants a token not given. */
export type PreflightProblem = "unreachable" | "not-this-api" | "key-refused" | "admin-token";
export type PreflightResult = { ok: true } | { ok: false; problem: PreflightProblem; message: string };

/** How long the preflight waits for an answer: long enough for a slow staging server, short enough for CI. */
const TIMEOUT_MS = 10_000;

export async function preflight(target: {
  baseUrl: string;
  apiKey: string | undefined;
  fetch?: typeof fetch;
}): Promise<PreflightResult> {
  const base = target.baseUrl.replace(/\/$/, "");
  const operation = probeOperation();
  const { name: keyHeader } = apiKeyHeader();
  const url = `${base}${operation.path}?page=1&limit=1`;
  const what = `GET ${operation.path} (${operation.id})`;
  const headers: Record<string, string> = { accept: "application/json" };
  if (target.apiKey) headers[keyHeader] = target.apiKey;
  let response: Response;
  try {
    response = await (target.fetch ?? fetch)(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    return {
      ok: false,
      problem: "unreachable",
      message: `Cannot reach ${base} (${whyUnreachable(error)}): is the server running, and is the base URL right?`,
    };
  }
  const text = await response.text().catch(() => "");
  if (response.status === 401 || response.status === 403) {
    return {
      ok: false,
      problem: "key-refused",
      message: target.apiKey
        ? `${base} refused the API key (${what} answered ${response.status}): check --api-key or CONVERSEIQ_API_KEY.`
        : `${base} needs an API key (${what} answered ${response.status}): give --api-key or set CONVERSEIQ_API_KEY.`,
    };
  }
  const type = response.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  const json = isJson(type, text);
  if (!json && [502, 503, 504].includes(response.status)) {
    return {
      ok: false,
      problem: "unreachable",
      message: `Cannot reach the API at ${base} (${what} answered ${response.status} from a gateway): is the server behind it running?`,
    };
  }
  if (!json && response.status >= 500) return { ok: true };
  if (response.status === 404 || !json) {
    const answer = response.status === 404 ? "404 Not Found" : `${response.status} ${type || "with no content type"}`;
    return {
      ok: false,
      problem: "not-this-api",
      message:
        `${base} does not answer as the ConverseIQ API (${what} answered ${answer}, not the JSON of a list): ` +
        "is the base URL the API's, ending in /public/v1?",
    };
  }
  return { ok: true };
}

/** The first list operation of the spec that needs nothing but a page: the cheapest question it must answer. */
function probeOperation() {
  const operation = listOperationsOf(publicSpec).find((op) => parametersToFill(op).length === 0);
  if (!operation) throw new Error("the spec has no list operation that needs no parameters: nothing to preflight");
  return operation;
}

/** Where the spec's security scheme carries the key (`x-api-key`). */
function apiKeyHeader(): { name: string } {
  const schemes = Object.values(publicSpec.components?.securitySchemes ?? {}) as oas31.SecuritySchemeObject[];
  const scheme = schemes.find((s) => s.type === "apiKey" && s.in === "header");
  if (!scheme?.name) throw new Error("the spec has no API key in a header: nothing to preflight with");
  return { name: scheme.name };
}

function isJson(type: string, text: string): boolean {
  if (type !== "application/json" && !type.endsWith("+json")) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Node's fetch hides the reason in `cause` (its `code`); say it in words where there are some. */
function whyUnreachable(error: unknown): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError") return `no answer within ${TIMEOUT_MS / 1000} s`;
  const code = err.cause?.code;
  const words: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ENOTFOUND: "unknown host",
    EAI_AGAIN: "host name lookup failed",
    ECONNRESET: "connection reset",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
    ETIMEDOUT: "connection timed out",
  };
  if (code && words[code]) return words[code];
  return code ?? err.cause?.message ?? err.message ?? String(error);
}
