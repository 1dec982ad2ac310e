/**
 * The public API's operations (the spec's, under `/public/v1`), each made once with what it needs at each
 * stage of the pipeline: the `x-api-key` check, the rate limit, its faults and `Prefer` answers (its
 * documented responses, behaviour/canned-responses.ts), the body rules, its validator, its store call.
 */
import type { Operation, OperationId } from "../../lib/spec.ts";
import { cannedResponses } from "../behaviour/canned-responses.ts";
import { BODY_LIMIT, type MockOptions } from "../mock-options.ts";
import type { Scheduler } from "../scheduler.ts";
import type { Store } from "../store/store.ts";
import type { EngineOperation } from "./operation.ts";
import { createKeyCheck } from "./stages/auth.ts";
import { createFaultStage } from "./stages/faults.ts";
import { type Handler, handlers, type Input } from "./stages/handler.ts";
import type { LatencyStage } from "./stages/latency.ts";
import { createPreferStage } from "./stages/prefer.ts";
import { createRateLimitStage } from "./stages/rate-limit.ts";
import { resultResponse } from "./stages/serialize.ts";
import { createOperationValidator } from "./stages/validation.ts";
import type { Workspaces } from "./workspaces.ts";

export interface PublicOperationsDeps {
  options: MockOptions;
  /** The default workspace's store. */
  store: Store;
  workspaces: Workspaces;
  scheduler: Scheduler;
  /** The random source of faults and latency. */
  random: () => number;
  latency: LatencyStage | undefined;
}

export function createPublicOperations(
  operations: readonly Operation[],
  deps: PublicOperationsDeps,
): Map<Operation, EngineOperation> {
  const { options, store, workspaces, scheduler, random, latency } = deps;
  const checkKey = createKeyCheck(options.apiKeys);
  const rateLimit = createRateLimitStage(options.rateLimit, () => scheduler.now());

  /** A workspace's key reaches its store; any other key must be one of the mock's (the default store). */
  const auth = (request: { headers: Readonly<Record<string, string | undefined>> }) => {
    const key = request.headers["x-api-key"];
    const workspace = key === undefined ? undefined : workspaces.get(key);
    if (workspace === undefined) checkKey(key);
    return workspace?.apiKey;
  };
  const storeOf = (key: string | undefined) => (key === undefined ? store : workspaces.require(key).store);

  const operation = (op: Operation): EngineOperation => {
    const table = cannedResponses(op);
    const fault = createFaultStage(table, options.errorRate ?? 0, random);
    const prefer = createPreferStage(table, scheduler);
    const handler = handlers[op.id] as Handler<OperationId>;
    const read = op.method === "get";
    return {
      kind: "public",
      id: op.id,
      auth,
      scope: undefined,
      preface: (request) => {
        rateLimit?.(request.headers["x-api-key"] as string);
        fault?.();
        return prefer(request.headers.prefer);
      },
      body: { limit: BODY_LIMIT, ignoreEmpty: op.requestBody === null },
      absentBodyIsEmpty: false,
      validate: createOperationValidator(op),
      read,
      shared: true,
      run: (key, input) => handler(storeOf(key), input as unknown as Input<OperationId>),
      settle: (_, body) => body,
      respond: (result, headers) => resultResponse(result, read, headers),
      journaled: true,
      counted: true,
      latency,
    };
  };
  return new Map(operations.map((op) => [op, operation(op)]));
}
