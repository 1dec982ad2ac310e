/**
 * Overrides: what a test asks one public operation to answer for a while, layered on top of the state
 * (`mock.override("getContact", { status: 404 })`, `POST /__admin/overrides`). Each workspace has its own
 * set; the newest override that matches a request answers it, and one with `times` is gone once it has
 * answered that many requests.
 *
 * Two kinds. A data override (`OverrideCreate` of the admin spec) is JSON: it is checked here against the
 * public spec when it is added (the operation exists, the status is one it documents, the body fits that
 * status's schema unless `unchecked`), and it travels to the replicas as any admin change does. A function
 * override is code, so it stays in the process that added it; its answer is checked each time it answers.
 *
 * No Node-only API: the engine runs in a browser too.
 */
import type { components } from "../../generated/admin-types.ts";
import { listOperations, type Operation, type OperationId, publicSpec } from "../../lib/spec.ts";
import { type CannedTable, cannedResponses } from "../behaviour/canned-responses.ts";
import { HttpError } from "../http-error.ts";
import type { Store } from "../store/store.ts";
import type { ErrorDetail } from "../store/types.ts";
import { checkOverrideBody } from "./override-body.ts";

/** A data override as the admin API takes it. */
export type OverrideCreate = components["schemas"]["OverrideCreate"];
/** An override as the admin API lists it. */
export type OverrideView = components["schemas"]["Override"];

/** What a function override is handed: the request as the operation read it, and the state to read. */
export interface OverrideContext {
  request: {
    method: string;
    path: Record<string, string>;
    query: Record<string, string | string[]>;
    body: unknown;
    headers: Readonly<Record<string, string | undefined>>;
  };
  /** The workspace's state, to read only: an override answers, it changes nothing. */
  state: Readonly<Store["state"]>;
}

/** What a function override answers: as a data override, without `times` and `when` (the function decides). */
export type OverrideAnswer = Omit<OverrideCreate, "operationId" | "times" | "when">;

export type OverrideFunction = (context: OverrideContext) => OverrideAnswer;

/** The answer an override gives, ready to send; `status` undefined: the operation answers as usual after `delay`. */
export interface OverrideHit {
  status: number | undefined;
  headers: Record<string, string>;
  /** JSON text, or undefined for no body. */
  body: string | undefined;
  delay: number;
  networkError: boolean;
}

/** The parts of a request an override's `when` is matched against, before validation. */
export interface OverrideRequest {
  method: string;
  path: Record<string, string>;
  query: Record<string, string | string[]>;
  body: unknown;
  headers: Readonly<Record<string, string | undefined>>;
}

/** The longest `delay` an override may ask for (the admin spec's limit, restated for the function kind). */
export const MAX_OVERRIDE_DELAY_MS = 60_000;

interface Entry {
  id: string;
  operationId: OperationId;
  remaining: number | undefined;
  /** The scenario that added it, if one did. */
  scenario: string | undefined;
  /** A data override, as given (listed as it is), and its answer made once. */
  data: OverrideCreate | undefined;
  hit: OverrideHit | undefined;
  fn: OverrideFunction | undefined;
}

let operationsById: Map<string, { op: Operation; table: CannedTable }> | undefined;
/** The public operations with their documented answers, made on the first override (most runs make none). */
function operationsTable(): Map<string, { op: Operation; table: CannedTable }> {
  operationsById ??= new Map(listOperations(publicSpec).map((op) => [op.id, { op, table: cannedResponses(op) }]));
  return operationsById;
}

/** The public operation named `id`, or a 400 that names it and lists the others. */
export function publicOperation(id: string): { op: Operation; table: CannedTable } {
  const found = operationsTable().get(id);
  if (found) return found;
  throw new HttpError(
    "invalid_request",
    `override: ${JSON.stringify(id)} is no operation of the public API; its operations are ${[...operationsTable().keys()].join(", ")}.`,
    [{ in: "body", field: "/operationId", message: "is not an operationId of the public API" }],
  );
}

/**
 * The answer of an override, checked against the public spec: the status documented for the operation
 * (its own statuses, and 500 and 503 where a `default` response covers them), the body that status's
 * schema unless `unchecked`, a documented error body when none is given. Throws a 400 that names the field.
 */
export function resolveAnswer(operationId: string, answer: OverrideAnswer, where = "/"): OverrideHit {
  const { op, table } = publicOperation(operationId);
  const delay = answer.delay ?? 0;
  if (!Number.isInteger(delay) || delay < 0 || delay > MAX_OVERRIDE_DELAY_MS) {
    throw fieldError(
      operationId,
      `${where}delay`,
      `must be whole milliseconds from 0 to ${MAX_OVERRIDE_DELAY_MS}`,
      `delay must be whole milliseconds from 0 to ${MAX_OVERRIDE_DELAY_MS}`,
    );
  }
  const headers = { ...lowerCase(answer.headers ?? {}) };
  if (answer.networkError) return { status: undefined, headers, body: undefined, delay, networkError: true };
  const { status } = answer;
  if (status === undefined) {
    if (delay > 0) return { status: undefined, headers, body: undefined, delay, networkError: false };
    throw fieldError(
      operationId,
      `${where}status`,
      "is required unless delay or networkError is given",
      "give a status (with a body, or a documented one is used), a delay, or networkError",
    );
  }
  const documented = table.statuses.get(status);
  if (documented === undefined && !answer.unchecked) {
    throw fieldError(
      operationId,
      `${where}status`,
      `is not documented for ${operationId}`,
      `status ${status} is not documented for ${operationId} (documented: ${[...table.statuses.keys()].join(", ")}); send unchecked: true to answer it on purpose`,
    );
  }
  let body: unknown = answer.body;
  if (body === undefined && documented?.hasBody) {
    const example = documented.examples.values().next().value;
    if (example === undefined && !answer.unchecked) {
      throw fieldError(
        operationId,
        `${where}body`,
        "is required: the spec gives this status no example",
        `status ${status} of ${operationId} has a body and the spec gives no example of it: give one`,
      );
    }
    body = example === undefined ? undefined : JSON.parse(example);
  }
  if (!answer.unchecked) {
    const problems = checkOverrideBody(op, status, body, { ...documented?.headers, ...headers });
    if (problems.length > 0) {
      const details: ErrorDetail[] = problems.map((p) => ({
        in: "body",
        field: `${where}body${p.field}`,
        message: p.message,
      }));
      const first = problems[0] as { field: string; message: string };
      throw new HttpError(
        "invalid_request",
        `override for ${operationId}: status ${status} body ${first.field || "(body)"} ${first.message}; send a body the spec allows, or unchecked: true to send it on purpose.`,
        details,
      );
    }
  }
  return {
    status,
    // The status's required headers (a 429's Retry-After) with their documented values, then those given.
    headers: { ...(documented?.headers ?? {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    delay,
    networkError: false,
  };
}

function fieldError(operationId: string, field: string, detail: string, message: string): HttpError {
  return new HttpError("invalid_request", `override for ${operationId}: ${message}.`, [
    { in: "body", field, message: detail },
  ]);
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

/** One workspace's overrides. */
export class OverrideSet {
  private entries: Entry[] = [];
  /** The scenario turned on, if any (`POST /__admin/scenario`). */
  scenario: string | undefined;

  /** Adds a data override (already checked against the admin spec's `OverrideCreate`); returns its id. */
  add(data: OverrideCreate, id: string, scenario?: string): string {
    const hit = resolveAnswer(data.operationId, data);
    this.entries.push({
      id,
      operationId: data.operationId as OperationId,
      remaining: data.times,
      scenario,
      data,
      hit,
      fn: undefined,
    });
    return id;
  }

  /** Adds a function override (in process only); returns its id. */
  addFunction(operationId: string, fn: OverrideFunction, id: string, times?: number): string {
    publicOperation(operationId);
    this.entries.push({
      id,
      operationId: operationId as OperationId,
      remaining: times,
      scenario: undefined,
      data: undefined,
      hit: undefined,
      fn,
    });
    return id;
  }

  remove(id: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => entry.id !== id);
    return this.entries.length < before;
  }

  /** Every override gone, and the scenario off (a reset). */
  clear(): void {
    this.entries = [];
    this.scenario = undefined;
  }

  /** Whether any override is for this operation: only then is the body read before the rate limit. */
  has(operationId: string): boolean {
    return this.entries.some((entry) => entry.operationId === operationId);
  }

  get size(): number {
    return this.entries.length;
  }

  list(): OverrideView[] {
    return this.entries.map((entry) => ({
      id: entry.id,
      operationId: entry.operationId,
      kind: entry.fn ? "function" : "data",
      remaining: entry.remaining ?? null,
      ...(entry.scenario !== undefined ? { scenario: entry.scenario } : {}),
      ...(entry.data ? { override: entry.data } : {}),
    }));
  }

  /**
   * The newest override of `operationId` whose `when` the request matches, used once (its `times` counted
   * down, and gone at 0). Throws the error of a function override whose answer the spec does not allow.
   */
  take(operationId: string, request: OverrideRequest, state: () => Store["state"]): OverrideHit | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i] as Entry;
      if (entry.operationId !== operationId) continue;
      if (entry.data?.when && !matches(entry.data.when, request)) continue;
      if (entry.remaining !== undefined) {
        entry.remaining--;
        if (entry.remaining <= 0) this.entries.splice(i, 1);
      }
      if (entry.hit) return entry.hit;
      const answer = (entry.fn as OverrideFunction)({
        request: {
          method: request.method,
          path: request.path,
          query: request.query,
          body: request.body,
          headers: request.headers,
        },
        state: state(),
      });
      return resolveAnswer(operationId, answer);
    }
    return undefined;
  }
}

/**
 * `when`: each query and path parameter given equals the request's (compared as text: the request's are
 * not converted yet), and the body given is a subset of the request's (objects by their keys, deeply;
 * anything else equal).
 */
function matches(when: NonNullable<OverrideCreate["when"]>, request: OverrideRequest): boolean {
  for (const [name, value] of Object.entries(when.query ?? {})) {
    const sent = request.query[name];
    const texts = Array.isArray(value) ? value.map(String) : [String(value)];
    const got = sent === undefined ? [] : Array.isArray(sent) ? sent : [sent];
    if (texts.length !== got.length || texts.some((text, i) => text !== got[i])) return false;
  }
  for (const [name, value] of Object.entries(when.path ?? {})) {
    if (request.path[name] !== String(value)) return false;
  }
  return when.body === undefined || subset(when.body, request.body);
}

function subset(expected: unknown, actual: unknown): boolean {
  if (typeof expected !== "object" || expected === null) return Object.is(expected, actual);
  if (typeof actual !== "object" || actual === null) return false;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) && expected.length === actual.length && expected.every((item, i) => subset(item, actual[i]))
    );
  }
  return Object.entries(expected).every(([key, value]) => subset(value, (actual as Record<string, unknown>)[key]));
}

/** The override sets of every workspace, by workspace key (undefined: the default workspace). */
export class Overrides {
  private readonly sets = new Map<string | undefined, OverrideSet>();

  of(key: string | undefined): OverrideSet {
    let set = this.sets.get(key);
    if (set === undefined) {
      set = new OverrideSet();
      this.sets.set(key, set);
    }
    return set;
  }

  /** The set of `key` if it has one: a request pays for one lookup when no override was ever added. */
  peek(key: string | undefined): OverrideSet | undefined {
    return this.sets.get(key);
  }

  /** A removed workspace's overrides go with it. */
  drop(key: string): void {
    this.sets.delete(key);
  }
}
