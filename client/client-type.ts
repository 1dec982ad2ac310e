/**
 * The type of the client: openapi-fetch's methods, with the request options checked strictly.
 *
 * openapi-fetch infers each call's options as a type parameter and widens it with an index
 * signature, so a misspelt field (`{ body: { emial } }`, `query: { limt }`) compiles
 * (openapi-ts/openapi-typescript#2329). Here the options are typed from the path, not inferred,
 * so TypeScript checks object literals for unknown fields. The object at run time is openapi-fetch's
 * own client; only what the compiler accepts is narrower. `parseAs` is left out: every operation
 * of the API answers JSON, and `data` is typed as the parsed JSON.
 */
import type { FetchOptions, FetchResponse, Middleware } from "openapi-fetch";
import type { paths } from "../generated/types.ts";

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** The paths that have an operation for this method (`put?: never` in `paths` means none). */
export type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never;
}[keyof paths];

export type Operation<P extends keyof paths, M extends HttpMethod> = paths[P][M];

/** The options of one call: params, body, headers, signal... as the operation declares them. */
export type CallInit<Op> = Omit<FetchOptions<Op>, "parseAs">;

/** Options may be left out when the operation has no required parameter and no required body. */
export type CallArgs<Init> = Record<never, never> extends Init ? [init?: Init] : [init: Init];

/** `{ data, response } | { error, response }`, typed from the operation's responses. */
export type CallResult<Op> =
  Op extends Record<string | number, unknown> ? FetchResponse<Op, object, `${string}/${string}`> : never;

type Method<M extends HttpMethod> = <P extends PathsWith<M>>(
  path: P,
  ...init: CallArgs<CallInit<Operation<P, M>>>
) => Promise<CallResult<Operation<P, M>>>;

export type ConverseIQClient = { [M in HttpMethod as Uppercase<M>]: Method<M> } & {
  /** Calls `method` on `path`, as the method of the same name would. */
  request<M extends HttpMethod, P extends PathsWith<M>>(
    method: M,
    path: P,
    ...init: CallArgs<CallInit<Operation<P, M>>>
  ): Promise<CallResult<Operation<P, M>>>;
  /** Adds middleware; see the note in create-client.ts on what it must not log. */
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
};
