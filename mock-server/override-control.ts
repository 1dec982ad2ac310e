/**
 * `override(...)` and `scenario(...)` as a test calls them, typed by the public spec, on every transport:
 * `startMock` (through the admin API over HTTP), `createMockFetch` and `createHandlers` (through the
 * engine's admin API in process). Both kinds of override go through one code path per transport:
 * a data override is an admin request (checked by the engine, carried to replicas); a function override
 * is code, added to the engine's override set of the default workspace directly.
 *
 * The types: `status` must be a status the operation documents (its own, and 500 and 503 where a
 * `default` response covers them), and `body` the type of that status's schema (from
 * generated/types.ts). `unchecked: true` takes any status and body, on purpose.
 *
 * No Node API: the in-process transports run in a browser too.
 */
import type { operations } from "../generated/types.ts";
import type { OperationId } from "../lib/spec.ts";
import { MockAdminError } from "./admin-error.ts";
import type {
  Engine,
  OverrideContext,
  OverrideCreate,
  OverrideFunction,
  OverrideView,
  ScenarioStatus,
} from "./engine/index.ts";

type Responses<Op extends OperationId> = operations[Op]["responses"];

/** The statuses an operation documents: its numbered responses, and 500 and 503 when it has a `default` one. */
export type DocumentedStatus<Op extends OperationId> =
  | Extract<keyof Responses<Op>, number>
  | ("default" extends keyof Responses<Op> ? 500 | 503 : never);

type ResponseOf<Op extends OperationId, S> = S extends keyof Responses<Op>
  ? Responses<Op>[S]
  : "default" extends keyof Responses<Op>
    ? Responses<Op>["default"]
    : never;

/** The JSON body of status `S` of `Op` (never when that answer has none). */
export type ResponseBody<Op extends OperationId, S> =
  ResponseOf<Op, S> extends {
    content: { "application/json": infer B };
  }
    ? B
    : never;

type Parameters_<Op extends OperationId> = operations[Op]["parameters"];
type RequestBody<Op extends OperationId> = operations[Op] extends {
  requestBody: { content: { "application/json": infer B } };
}
  ? B
  : never;
type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Which requests an override answers: these query and path parameters, and a body holding this one. */
export interface OverrideWhen<Op extends OperationId> {
  query?: Partial<NonNullable<Parameters_<Op>["query"]>>;
  path?: Partial<NonNullable<Parameters_<Op>["path"]>>;
  body?: DeepPartial<RequestBody<Op>>;
}

/** What an override answers, status by status: each documented status with the body of its schema. */
type Documented<Op extends OperationId> = {
  [S in DocumentedStatus<Op>]: {
    status: S;
    /** Left out: the spec's example of this status, or a documented `Error` body for an error. */
    body?: ResponseBody<Op, S>;
    unchecked?: false;
    networkError?: false;
  };
}[DocumentedStatus<Op>];

/** Any status and body: what the spec forbids, sent on purpose. */
interface Unchecked {
  status: number;
  body?: unknown;
  unchecked: true;
  networkError?: false;
}

/** No answer: the connection is dropped (fetch rejects with a TypeError). */
interface NetworkError {
  status?: undefined;
  body?: undefined;
  networkError: true;
  unchecked?: boolean;
}

/** The usual answer, after `delay`. */
interface DelayOnly {
  status?: undefined;
  body?: undefined;
  delay: number;
  networkError?: false;
  unchecked?: boolean;
}

/** An override's answer: a documented status and body, an unchecked one, a network error, or a delay alone. */
export type OverrideAnswerOf<Op extends OperationId> = (Documented<Op> | Unchecked | NetworkError | DelayOnly) & {
  /** Headers of the answer, beside those the status requires (a 429's `Retry-After`). */
  headers?: Record<string, string>;
  /** Milliseconds to wait before answering, on the mock's scheduler (at most 60,000). */
  delay?: number;
};

/** A data override of `Op`: its answer, how many times, and for which requests. */
export type OverrideOptions<Op extends OperationId> = OverrideAnswerOf<Op> & {
  /** How many answers it gives before it is gone; left out, until removed. */
  times?: number;
  when?: OverrideWhen<Op>;
};

/** What a function override is handed: the request as sent (path and query as text), the state to read. */
export type OverrideCall<_Op extends OperationId = OperationId> = OverrideContext;

/** A function override: its answer for each request, checked against the spec as a data override's is. */
export type OverrideFn<Op extends OperationId> = (call: OverrideCall<Op>) => OverrideAnswerOf<Op>;

/** An override in force. */
export interface OverrideHandle {
  readonly id: string;
  /** Removes it (resolves even when its `times` already ran out). */
  remove(): Promise<void>;
}

/** The mock's scenarios; a name of `--scenarios FILE` is a string like any other. */
export type ScenarioName = "rate-limited" | "outage" | "slow" | "empty" | "full" | (string & {});

/** What a transport adds to its return value. */
export interface OverrideControl {
  /**
   * Makes `operationId` answer what the test wants, until removed, `times` runs out, or `reset()`:
   * `override("getContact", { status: 404 })`, `override("listContacts", { status: 200, body, times: 2,
   * when: { query: { limit: 5 } } })`, or a function `({ request, state }) => ({ status: 409 })`. A status or
   * body the spec does not allow does not compile, and is refused at run time naming the field
   * (`MockAdminError`), unless `unchecked: true`.
   */
  override<Op extends OperationId>(
    operationId: Op,
    answer: OverrideOptions<Op> | OverrideFn<Op>,
    options?: { times?: number },
  ): Promise<OverrideHandle>;
  /** Turns a scenario on (`rate-limited`, `outage`, `slow`, `empty`, `full`, or one of `--scenarios`); `reset()` turns it off. */
  scenario(name: ScenarioName): Promise<ScenarioStatus>;
  /** The overrides in force, with their ids and remaining answers (`GET /__admin/overrides`). */
  overrides(): Promise<OverrideView[]>;
}

/** The control over an admin API (`call`) and the engine's override set for functions. */
/** Sends an admin request for `operation`; resolves to its JSON answer, or throws `MockAdminError`. */
export type AdminAsk = <T>(
  operation: string,
  request: { method: "GET" | "POST" | "DELETE"; path: `/__admin/${string}`; body?: unknown },
) => Promise<T>;

/**
 * The override methods over the admin API (`ask`); `engine` is the mock's when it runs in this process:
 * only then can an override be a function (code cannot travel over HTTP).
 */
export function createOverrideControl(ask: AdminAsk, engine?: Pick<Engine, "overrides">): OverrideControl {
  let functions = 0;
  return {
    override: async (operationId, answer, options = {}) => {
      if (typeof answer === "function") {
        if (engine === undefined)
          throw new TypeError(
            `override ${operationId}: a function override needs the mock in this process (startMock, createMockFetch, createHandlers); over HTTP give the answer as data`,
          );
        const set = engine.overrides.of(undefined);
        const id = `fn-${++functions}`;
        set.addFunction(operationId, answer as unknown as OverrideFunction, id, options.times);
        return {
          id,
          remove: async () => {
            set.remove(id);
          },
        };
      }
      const body: OverrideCreate = { ...(answer as Omit<OverrideCreate, "operationId">), operationId };
      if (options.times !== undefined) body.times = options.times;
      const made = await ask<OverrideView>("override", { method: "POST", path: "/__admin/overrides", body });
      return {
        id: made.id,
        remove: async () => {
          try {
            await ask("override", { method: "DELETE", path: `/__admin/overrides/${encodeURIComponent(made.id)}` });
          } catch (error) {
            // Gone already (its times ran out, or a reset): removed all the same.
            if (!(error instanceof MockAdminError && error.status === 404)) throw error;
          }
        },
      };
    },
    scenario: (name) => ask<ScenarioStatus>("scenario", { method: "POST", path: "/__admin/scenario", body: { name } }),
    overrides: async () =>
      (await ask<{ data: OverrideView[] }>("overrides", { method: "GET", path: "/__admin/overrides" })).data,
  };
}

/** The admin API of an in-process engine, as `AdminCall`. */
