/**
 * `createMockCore(options)`: the mock without its transport. The engine (engine/) that answers every
 * request, with the `/docs` page in front of it; the webhook sender fed by the store's changes; the state
 * file; the replica (`--redis`); and the engine as transports see it (`EngineTransportApi`). The mock's
 * own server (app.ts) and the Fastify plugin a consumer mounts (fastify.ts) are both built on it.
 */
import { publicSpec } from "../lib/spec.ts";
import { createDocsHandler } from "./docs/routes.ts";
import { createEngine, type Engine } from "./engine/index.ts";
import type { HttpGuardOptions } from "./engine/stages/http-guard.ts";
import type { EngineRequest, EngineResponse, EngineTransportApi, HandleRequest } from "./engine/types.ts";
import {
  DEFAULT_API_KEY,
  dateOf,
  type MockOptions,
  type MockOptionsInput,
  PUBLIC_PREFIX,
  withDefaults,
} from "./mock-options.ts";
import { EntryClock } from "./replication/entry.ts";
import type { Replica } from "./replication/replica.ts";
import { attachStateFile, replayStateFile, type StateFileWriter } from "./state-file.ts";
import { refuseUnfoldedLog, StateLog } from "./state-log.ts";
import type { Store } from "./store/store.ts";
import { Webhooks } from "./webhooks/index.ts";

export interface MockCore {
  /** The engine as every transport sees it. */
  api: EngineTransportApi;
  engine: Engine;
  store: Store;
  options: MockOptions;
  webhooks: Webhooks;
  stateFile: StateFileWriter | undefined;
  replica: Replica | undefined;
  /** Writes the state file if there is one, stops the webhook deliveries and the replica. */
  shutdown(): Promise<void>;
}

/** Methods that never change the state: their answers never call for a state-file write. */
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** What the transport adds to the engine: over HTTP, the checks of a served mock (engine/stages/http-guard.ts). */
export interface CoreTransport {
  httpGuard?: HttpGuardOptions;
}

export async function createMockCore(partial: MockOptionsInput = {}, transport: CoreTransport = {}): Promise<MockCore> {
  const options = withDefaults(partial);
  const reportError = options.logger
    ? (error: unknown) => console.error("converseiq-mock: unexpected error:", error)
    : () => undefined;
  if (options.redis && options.stateFile !== undefined) {
    throw new RangeError("a state file and Redis cannot be used together: with --redis, Redis holds the state");
  }
  if (options.stateSync && options.stateFile === undefined) {
    throw new RangeError("--state-sync needs a state file (--state FILE) to write to");
  }
  if (options.stateReadOnly && options.stateFile === undefined) {
    throw new RangeError("--read-only needs a state file (--state FILE) to serve");
  }
  if (options.stateReadOnly && options.stateSync) {
    throw new RangeError("--read-only and --state-sync cannot be used together: --state-sync writes every change");
  }
  // The date of new objects. Each replica has a clock of its own (`POST /__admin/clock` moves the one it
  // reaches): a change is stamped by the replica that accepts it, and the others apply that stamp.
  const now = dateOf(options);
  // With Redis, the clock and ids of changes are the replica's: those of the change being applied.
  // Loaded only with --redis: a mock of its own does not load the Redis client.
  const replica = options.redis
    ? new (await import("./replication/replica.ts")).Replica(options.redis, {
        now,
        ...(options.newId ? { newId: options.newId } : {}),
        onError: reportError,
        ...(options.logger ? { onNotice: (line: string) => process.stderr.write(`converseiq-mock: ${line}\n`) } : {}),
      })
    : undefined;
  // With --state-sync, each change goes through the log of the state file (state-log.ts) as it would go to
  // Redis: appended, flushed to disk, then applied; its time and new ids travel with it, for the replay.
  const stateLog =
    options.stateSync && options.stateFile !== undefined
      ? new StateLog(options.stateFile, new EntryClock(now, options.newId ?? (() => globalThis.crypto.randomUUID())), {
          now,
        })
      : undefined;
  const changes = replica
    ? { now: replica.now, newId: replica.newId, replication: replica }
    : stateLog
      ? { now: stateLog.clock.now, newId: stateLog.clock.newId, replication: stateLog }
      : {};
  const webhooks = new Webhooks(options.webhooks, {
    now: changes.now ?? now,
    scheduler: options.scheduler ?? options.clock,
    onError: reportError,
    ...(replica ? { newId: replica.newId } : {}),
  });
  // The API reference page (no key needed; "Try it out" points at this mock with its first key), in front
  // of the API: the engine gives its answers the API's CORS headers (a page elsewhere may load the spec).
  const docs = createDocsHandler({
    spec: publicSpec,
    publicPrefix: PUBLIC_PREFIX,
    apiKey: options.apiKeys[0] ?? DEFAULT_API_KEY,
  });
  // The state file is attached once the engine's store exists; the admin health route reads it through this.
  let stateFile: StateFileWriter | undefined;
  const engine = createEngine({
    ...options,
    ...changes,
    webhooks,
    onError: reportError,
    pages: docs,
    ...transport,
    stateFileStatus: () => stateFile?.status() ?? stateLog?.fileStatus() ?? null,
  });
  const { store } = engine;
  // Every change the store makes is sent to the subscribed endpoints, off the request's path; the store
  // builds a change only while someone is subscribed. With replicas, only the one that accepted the
  // change sends it; a change of --state-sync's log replayed at start was sent when it was made.
  const stopSending = store.onChange(
    (change) => webhooks.publish(change),
    replica
      ? () => webhooks.subscriptions.size > 0 && replica.applyingOwn
      : () => webhooks.subscriptions.size > 0 && !stateLog?.replaying,
  );
  if (replica) {
    try {
      await replica.start(engine);
    } catch (error) {
      stopSending();
      await Promise.all([replica.close(), webhooks.close()]);
      throw error;
    }
  }
  try {
    // Loads the file now (a bad one throws before anything is served), then keeps it up to date.
    if (stateLog) await stateLog.start(engine);
    else if (options.stateFile !== undefined && options.stateReadOnly) {
      await refuseUnfoldedLog(options.stateFile);
      await replayStateFile(store, options.stateFile);
    } else if (options.stateFile !== undefined) {
      await refuseUnfoldedLog(options.stateFile);
      stateFile = await attachStateFile(store, options.stateFile, {
        ...(options.scheduler ? { scheduler: options.scheduler } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.logger ? { onNotice: (line: string) => process.stderr.write(`converseiq-mock: ${line}\n`) } : {}),
      });
    }
  } catch (error) {
    stopSending();
    await webhooks.close();
    throw error;
  }
  const writer = stateFile;

  // Any request that may have changed the state (a reset and an import included) is written back soon.
  const noteChange = (request: EngineRequest) => (response: EngineResponse) => {
    if (response.status < 400 && !READS.has(request.method.toUpperCase())) writer?.changed();
    return response;
  };
  // Not async: a request the engine answers alone costs no promise of its own.
  const handle: HandleRequest = writer ? (request) => engine.handle(request).then(noteChange(request)) : engine.handle;
  const api: EngineTransportApi = {
    handle,
    bodyLimit: engine.bodyLimit,
    refuse: engine.refuse,
    refuseHead: engine.refuseHead,
    now: engine.now,
  };

  return {
    api,
    engine,
    store,
    options,
    webhooks,
    stateFile,
    replica,
    shutdown: async () => {
      stopSending();
      engine.close();
      await Promise.all([stateFile?.flush(), stateLog?.close(), webhooks.close(), replica?.close()]);
    },
  };
}
