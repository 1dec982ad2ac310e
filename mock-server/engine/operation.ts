/**
 * An operation as the pipeline (pipeline.ts) runs it: public (`/public/v1`, the API's spec) or admin
 * (`/__admin`, the admin spec), two kinds on one pipeline. Each is made once, when the engine starts
 * (public-operations.ts, admin-operations.ts), with what it needs at each stage; a stage an operation has
 * no part in is left out (an admin operation is never rate-limited, faulted, delayed or `Prefer`-ed, and
 * is not counted in the coverage).
 */
import type { CannedAnswer } from "../behaviour/prefer.ts";
import type { ParsedRequest } from "./request.ts";
import type { BodyOptions } from "./stages/body.ts";
import type { LatencyStage } from "./stages/latency.ts";
import type { OperationValidator, RequestParts } from "./stages/validation.ts";
import type { EngineResponse } from "./types.ts";

/** The documented answer `Prefer` asked for, or undefined to run the handler; a promise while it waits. */
export type Preface = (request: ParsedRequest) => CannedAnswer | undefined | Promise<CannedAnswer | undefined>;

export interface EngineOperation {
  readonly kind: "public" | "admin";
  /** Its `operationId` in its spec. */
  readonly id: string;
  /**
   * Who may call it, from the request's head: throws 401 without one of the mock's API keys or a
   * workspace's (public), or without the admin token when the mock has one (admin). Returns the key of the
   * workspace it acts on, undefined for the default one.
   */
  auth(request: ParsedRequest): string | undefined;
  /**
   * An admin route that acts on one workspace (its spec declares `x-api-key`): that workspace's key, or
   * undefined for the default one; 404 for a key of neither. Absent for the others.
   */
  readonly scope: ((request: ParsedRequest) => string | undefined) | undefined;
  /** Rate limit, faults and `Prefer`, in that order (public operations only). */
  readonly preface: Preface | undefined;
  /** The body stage's rules: the limit, and whether an absent or empty body is ignored. */
  readonly body: BodyOptions;
  /** An optional body left out stands for `{}` (`POST /__admin/reset` with no body resets as started). */
  readonly absentBodyIsEmpty: boolean;
  /** Validation by its spec; absent when the handler checks its input itself (`PUT /__admin/state`). */
  readonly validate: OperationValidator | undefined;
  /** A GET: with replicas it waits for the others' changes; a public one is answered from kept texts. */
  readonly read: boolean;
  /** Reads or changes the state the replicas share (false: each replica's own, as the journal). */
  readonly shared: boolean;
  /** The handler, on the workspace of `key` (undefined: the default one); a workspace removed since is a 401. */
  run(key: string | undefined, input: RequestParts): unknown;
  /** The body a change carries to the replicas, with what this replica would choose alone written out. */
  settle(key: string | undefined, body: unknown): unknown;
  /** The handler's result as the answer, after the CORS headers already in `headers`. */
  respond(result: unknown, headers: Record<string, string>): EngineResponse;
  /** Recorded in the journal (all but the journal's own routes). */
  readonly journaled: boolean;
  /** Counted in the coverage (public operations). */
  readonly counted: boolean;
  /** `--latency`: waited before the answer goes out, errors included (public operations). */
  readonly latency: LatencyStage | undefined;
}
