/**
 * Overrides (engine/overrides.ts): what a test asked a public operation to answer. The stage runs after
 * the API key is checked and the workspace is known, before the rate limit, faults, `Prefer`, validation
 * and the handler. Auth comes first on purpose: an override stands for what the operation answers, and a
 * client that sends no key must still see its 401 (an override would otherwise hide that bug). Rate limit
 * and faults come after: the test's own word wins over what is drawn at random.
 *
 * An operation with no override costs one lookup; with one, the body is read here (its `when` may look at
 * it), and the pipeline goes on with that body when none matches.
 */
import { HttpError } from "../../http-error.ts";
import type { Store } from "../../store/store.ts";
import type { EngineOperation } from "../operation.ts";
import type { OverrideHit, Overrides } from "../overrides.ts";
import { parseQuery } from "../query.ts";
import type { ParsedRequest } from "../request.ts";
import type { EngineResponse } from "../types.ts";
import { readBody } from "./body.ts";

export interface Overridden {
  hit: OverrideHit | undefined;
  /** The body as the body stage read it. */
  body: unknown;
}

export type OverrideStage = (
  operation: EngineOperation,
  key: string | undefined,
  request: ParsedRequest,
  params: Record<string, string>,
) => Overridden | undefined;

export function createOverrideStage(
  overrides: Overrides,
  stateOf: (key: string | undefined) => Store["state"],
): OverrideStage {
  return (operation, key, request, params) => {
    if (operation.kind !== "public") return undefined;
    const set = overrides.peek(key);
    if (set === undefined || !set.has(operation.id)) return undefined;
    const body = readBody(request, operation.body);
    const parts = {
      method: request.method,
      path: params,
      query: parseQuery(request.search),
      body,
      headers: request.headers,
    };
    try {
      return { hit: set.take(operation.id, parts, () => stateOf(key)), body };
    } catch (error) {
      // A function override answered what the spec does not allow: the test's bug, not the client's, so a
      // 500 that says so (and is reported), never the 400 a client would read as its own fault.
      if (error instanceof HttpError) throw new Error(error.message);
      throw error;
    }
  };
}

/** The answer of a network error: no status, no headers; each transport drops the connection. */
export function networkErrorResponse(): EngineResponse {
  return { status: 0, headers: {}, networkError: true };
}

/** An override's answer, after the CORS headers already in `headers`. */
export function overrideResponse(hit: OverrideHit, headers: Record<string, string>): EngineResponse {
  Object.assign(headers, hit.headers);
  if (hit.body === undefined) return { status: hit.status as number, headers };
  headers["content-type"] ??= "application/json; charset=utf-8";
  return { status: hit.status as number, headers, body: hit.body };
}
