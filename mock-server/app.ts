/**
 * `buildMockServer(options)`: the mock as an HTTP server. Wiring only: the engine (engine/) answers every
 * request, and the `/docs` page in front of the API; around it, what only a server has: the HTTP transport
 * (transports/http-server.ts), the webhook sender fed by the store's changes, and the state file.
 * `inject` answers a request in process, with no socket, as the tests use it.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { publicSpec } from "../lib/spec.ts";
import { createDocsHandler } from "./docs/routes.ts";
import { createEngine, type Engine } from "./engine/index.ts";
import type { Journal } from "./engine/request-journal.ts";
import type { EngineRequest, EngineResponse, HandleRequest } from "./engine/types.ts";
import { DEFAULT_API_KEY, type MockOptions, PUBLIC_PREFIX, withDefaults } from "./mock-options.ts";
import type { Replica } from "./replication/replica.ts";
import { attachStateFile, type StateFileWriter } from "./state-file.ts";
import type { Store } from "./store/store.ts";
import { createHttpServer, type HttpServerOptions } from "./transports/http-server.ts";
import { createInject, type Inject } from "./transports/inject.ts";
import { Webhooks } from "./webhooks/index.ts";

export type { InjectOptions, InjectResponse } from "./transports/inject.ts";

export interface MockServer {
  /** Answers a request in process, no socket (the shape of Fastify's `inject()`). */
  inject: Inject;
  /** Starts listening (port 0 picks a free one); resolves to the origin, `http://127.0.0.1:4010`. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /** Stops listening, writes the state file if there is one, stops the webhook deliveries. */
  close(): Promise<void>;
  /** The `node:http` server (`server.address()` once listening). */
  server: Server;
  /** The engine that answers every request. */
  engine: Engine;
  store: Store;
  mockOptions: MockOptions;
  /** Recent requests, for `GET /__admin/requests`. */
  journal: Journal;
  /** Webhook subscriptions, the delivery queue and its log (`/__admin/webhooks`). */
  webhooks: Webhooks;
  /** The writer of `--state FILE`, when there is one (tests await its `idle()`). */
  stateFile: StateFileWriter | undefined;
  /** This mock's side of a state shared through Redis (`--redis`), when there is one. */
  replica: Replica | undefined;
}

/** Methods that never change the state: their answers never call for a state-file write. */
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

export async function buildMockServer(partial: Partial<MockOptions> = {}): Promise<MockServer> {
  const options = withDefaults(partial);
  const reportError = options.logger
    ? (error: unknown) => console.error("converseiq-mock: unexpected error:", error)
    : () => undefined;
  if (options.redis && options.stateFile !== undefined) {
    throw new RangeError("a state file and Redis cannot be used together: with --redis, Redis holds the state");
  }
  // With Redis, the clock and ids of changes are the replica's: those of the change being applied.
  // Loaded only with --redis: a mock of its own does not load the Redis client.
  const replica = options.redis
    ? new (await import("./replication/replica.ts")).Replica(options.redis, {
        ...(options.now ? { now: options.now } : {}),
        ...(options.newId ? { newId: options.newId } : {}),
        onError: reportError,
        ...(options.logger ? { onNotice: (line: string) => process.stderr.write(`converseiq-mock: ${line}\n`) } : {}),
      })
    : undefined;
  const changes = replica ? { now: replica.now, newId: replica.newId, replication: replica } : {};
  const webhooks = new Webhooks(options.webhooks, {
    now: changes.now ?? options.now,
    scheduler: options.scheduler,
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
  const engine = createEngine({ ...options, ...changes, webhooks, onError: reportError, pages: docs });
  const { store } = engine;
  // Every change the store makes is sent to the subscribed endpoints, off the request's path; the store
  // builds a change only while someone is subscribed. With replicas, only the one that accepted the
  // change sends it.
  const stopSending = store.onChange(
    (change) => webhooks.publish(change),
    replica ? () => webhooks.subscriptions.size > 0 && replica.applyingOwn : () => webhooks.subscriptions.size > 0,
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
  // Loads the file now (a bad one throws before anything is served), then keeps it up to date.
  const stateFile =
    options.stateFile === undefined
      ? undefined
      : await attachStateFile(store, options.stateFile, { scheduler: options.scheduler });

  // Any request that may have changed the state (a reset and an import included) is written back soon.
  const noteChange = (request: EngineRequest) => (response: EngineResponse) => {
    if (response.status < 400 && !READS.has(request.method.toUpperCase())) stateFile?.changed();
    return response;
  };
  // Not async: a request the engine answers alone costs no promise of its own.
  const handle: HandleRequest = stateFile
    ? (request) => engine.handle(request).then(noteChange(request))
    : engine.handle;
  const transport: HttpServerOptions = {
    handle,
    refuse: engine.refuse,
    bodyLimit: engine.bodyLimit,
    now: engine.now,
    bodyTimeoutMs: options.bodyTimeoutMs,
    // One line per request; headers (and so the API key) are never logged.
    ...(options.logger ? { log: (line: string) => process.stdout.write(`${line}\n`) } : {}),
  };
  const server = createHttpServer(transport);

  return {
    inject: createInject(transport),
    server,
    engine,
    store,
    mockOptions: options,
    journal: engine.journal,
    webhooks,
    stateFile,
    replica,
    listen: ({ port = 0, host = "127.0.0.1" } = {}) => listen(server, port, host),
    close: async () => {
      await closeServer(server);
      stopSending();
      await Promise.all([stateFile?.flush(), webhooks.close(), replica?.close()]);
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address() as AddressInfo;
      const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve(`http://${shown}:${address.port}`);
    });
  });
}

/** Stops taking connections, closes the idle ones, and waits for the answers under way. */
function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
