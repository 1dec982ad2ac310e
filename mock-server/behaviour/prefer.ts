/**
 * What a `Prefer` header asks of one request, decided against the operation's documented responses:
 * `code=404` (that status's example), `example=NAME` (a named example; with no code, of the lowest 2xx),
 * `delay=MS` (wait before answering). Other preferences (Prism's `dynamic`, RFC 7240's `return`) are
 * ignored, as RFC 7240 asks of a server. Anything it cannot honour is a 400 that says what to send.
 */
import { HttpError } from "../http-error.ts";
import { MAX_DELAY_MS } from "./behaviour-options.ts";
import type { CannedTable, DocumentedStatus } from "./canned-responses.ts";

export interface CannedAnswer {
  status: number;
  headers: Record<string, string>;
  /** JSON text, or undefined for a response without a body. */
  body: string | undefined;
}

export interface PreferPlan {
  /** The documented response to send instead of running the handler; undefined to run it as usual. */
  answer: CannedAnswer | undefined;
  /** Milliseconds to wait before going on with the request. */
  delayMs: number;
}

export function planPrefer(table: CannedTable, preferences: Map<string, string>): PreferPlan {
  const delayMs = readDelay(preferences.get("delay"));
  const code = preferences.get("code");
  const name = preferences.get("example");
  if (code === undefined && name === undefined) return { answer: undefined, delayMs };

  const documented = code === undefined ? successOf(table) : statusOf(table, code);
  const example = name === undefined ? defaultExample(table, documented) : namedExample(table, documented, name);
  const applied = [`code=${documented.status}`, ...(name === undefined ? [] : [`example=${name}`])];
  return {
    answer: {
      status: documented.status,
      headers: { ...documented.headers, "preference-applied": applied.join(", ") },
      body: example,
    },
    delayMs,
  };
}

const invalid = (message: string, detail: string) =>
  new HttpError("invalid_request", message, [{ in: "header", field: "Prefer", message: detail }]);

function readDelay(value: string | undefined): number {
  if (value === undefined) return 0;
  const ms = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(ms <= MAX_DELAY_MS)) {
    throw invalid(
      `Prefer delay must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}; got "${value}".`,
      `delay must be an integer from 0 to ${MAX_DELAY_MS}`,
    );
  }
  return ms;
}

const documentedList = (table: CannedTable) => [...table.statuses.keys()].join(", ");

function statusOf(table: CannedTable, code: string): DocumentedStatus {
  if (!/^\d{3}$/.test(code)) {
    throw invalid(
      `Prefer code must be a three-digit HTTP status; got "${code}". ${table.operationId} documents ${documentedList(table)}.`,
      "code must be a three-digit HTTP status",
    );
  }
  const documented = table.statuses.get(Number(code));
  if (!documented) {
    throw invalid(
      `${table.operationId} documents no response with status ${code}; ask for one of ${documentedList(table)}.`,
      `code ${code} is not documented for ${table.operationId}`,
    );
  }
  return documented;
}

function successOf(table: CannedTable): DocumentedStatus {
  const documented = table.success === undefined ? undefined : table.statuses.get(table.success);
  if (!documented) {
    throw invalid(
      `${table.operationId} documents no success response; add a code to the Prefer header (one of ${documentedList(table)}).`,
      "example needs a code here",
    );
  }
  return documented;
}

function defaultExample(table: CannedTable, documented: DocumentedStatus): string | undefined {
  if (!documented.hasBody) return undefined;
  const [first] = documented.examples.values();
  const example = documented.examples.get("default") ?? first;
  if (example === undefined) {
    throw invalid(
      `The spec gives no example for status ${documented.status} of ${table.operationId}, and the mock does not make one up; ask for another code.`,
      `code ${documented.status} has no example`,
    );
  }
  return example;
}

function namedExample(table: CannedTable, documented: DocumentedStatus, name: string): string {
  const example = documented.examples.get(name);
  if (example === undefined) {
    const names = [...documented.examples.keys()];
    const available = names.length > 0 ? `available: ${names.join(", ")}` : "it has none";
    throw invalid(
      `${table.operationId} has no example named "${name}" for status ${documented.status}; ${available}.`,
      `no example named "${name}" (${available})`,
    );
  }
  return example;
}
