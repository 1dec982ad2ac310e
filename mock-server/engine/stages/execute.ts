/**
 * Execution: the handler's call, once the request has passed every stage before it, for public and admin
 * operations alike. Without replicas (or for what each replica keeps for itself) the handler runs here and
 * now. With replicas (`replication`, mock-server/replication/), a read waits until this replica holds
 * every change made before it (and flags its answer when it could not know), and a write is sent to every
 * replica as a change and answered with what applying it here gave.
 */
import type { EngineOperation } from "../operation.ts";
import { type Change, type Replication, STALE_HEADER } from "../replication-port.ts";
import type { EngineResponse } from "../types.ts";
import type { RequestParts } from "./validation.ts";

/**
 * The answer of `operation` on the workspace of `key`, after the CORS headers in `headers`. `stale`: the
 * replica has caught up already for this request (the override stage asks first), and whether its read may
 * be stale; undefined, a read catches up here.
 */
export type ExecuteStage = (
  operation: EngineOperation,
  key: string | undefined,
  input: RequestParts,
  headers: Record<string, string>,
  stale?: boolean,
) => EngineResponse | Promise<EngineResponse>;

export function createExecuteStage(replication: Replication | undefined): ExecuteStage {
  // Not async: an answer made here and now costs no promise of its own.
  return (operation, key, input, headers, stale) => {
    if (replication === undefined || !operation.shared) {
      const result = operation.run(key, input);
      if (result instanceof Promise) return result.then((value) => operation.respond(value, headers));
      return operation.respond(result, headers);
    }
    return replicated(replication, operation, key, input, headers, stale);
  };
}

async function replicated(
  replication: Replication,
  operation: EngineOperation,
  key: string | undefined,
  input: RequestParts,
  headers: Record<string, string>,
  caughtUp: boolean | undefined,
): Promise<EngineResponse> {
  if (operation.read) {
    const waited = caughtUp === undefined ? replication.beforeRead() : false;
    const stale = caughtUp ?? (waited !== false && (await waited));
    const response = operation.respond(operation.run(key, input), headers);
    if (stale) response.headers[STALE_HEADER] = "true";
    return response;
  }
  // Only the default workspace's key is left out: a workspace's key goes with the change.
  const change = {
    kind: operation.kind,
    op: operation.id,
    ...(key === undefined ? {} : { key }),
    path: input.path,
    query: input.query,
    body: operation.settle(key, input.body),
  } as Change;
  return operation.respond(await replication.submit(change), headers);
}
