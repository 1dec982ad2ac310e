/**
 * `buildMockServer(options)`: the mock as an HTTP server. Wiring only: the mock (mock-core.ts: the engine
 * with the `/docs` page in front of it, the webhook sender, the state file, the replica) served by a
 * Fastify app with the engine's plugin at its root (transports/fastify-server.ts), with the checks of a
 * mock on a socket (the Host check, the admin write check and admin CORS: engine/stages/http-guard.ts),
 * which the in-process transports leave out. Closing the app
 * (Fastify's `onClose`) writes the state file and stops the webhooks and the replica. `inject` answers a
 * request in process, with no socket (Fastify's `inject()`), as the tests use it.
 */
import type { Server } from "node:http";
import type { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { Engine } from "./engine/index.ts";
import type { Journal } from "./engine/request-journal.ts";
import { type HttpGuardOptions, hostName, isIpAddress } from "./engine/stages/http-guard.ts";
import { createMockCore } from "./mock-core.ts";
import type { MockOptions, MockOptionsInput } from "./mock-options.ts";
import type { Replica } from "./replication/replica.ts";
import type { StateFileWriter } from "./state-file.ts";
import type { Store } from "./store/store.ts";
import { createFastifyServer } from "./transports/fastify-server.ts";
import { loggerOption } from "./transports/request-log.ts";
import type { Webhooks } from "./webhooks/index.ts";

export interface InjectOptions {
  /** `GET` when left out. */
  method?: string;
  /** Path and query: `/public/v1/contact?page=2`. */
  url?: string;
  /** More query parameters, added to those of `url`. */
  query?: Record<string, string | string[]> | string;
  headers?: Record<string, string | undefined>;
  /** A string or bytes as they are; a stream as it comes; any other value as JSON (`content-type` set). */
  payload?: string | Uint8Array | Readable | object;
}

export interface InjectResponse {
  statusCode: number;
  /** Lower-case names, with `content-length`. */
  headers: Record<string, string | undefined>;
  /** The body as UTF-8 text ("" when there is none); `payload` is the same. */
  body: string;
  payload: string;
  rawPayload: Buffer;
  json<T = unknown>(): T;
}

export type Inject = (options: InjectOptions | string) => Promise<InjectResponse>;

export interface MockServer {
  /** Answers a request in process, no socket (Fastify's `inject()`). */
  inject: Inject;
  /** Starts listening (port 0 picks a free one); resolves to the origin, `http://127.0.0.1:4010`. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /** Stops listening, writes the state file if there is one, stops the webhook deliveries. */
  close(): Promise<void>;
  /** The `node:http` server under Fastify (`server.address()` once listening). */
  server: Server;
  /** The Fastify app. */
  fastify: FastifyInstance;
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

export async function buildMockServer(partial: MockOptionsInput = {}): Promise<MockServer> {
  // The checks of a mock on a socket: the hosts it answers (the name it listens on is added by `listen`),
  // and who may call its admin API from a browser (engine/stages/http-guard.ts).
  const hosts = new Set((partial.allowedHosts === "all" ? [] : (partial.allowedHosts ?? [])).map(hostName));
  const httpGuard: HttpGuardOptions = {
    allowedHosts: partial.allowedHosts === "all" ? "all" : hosts,
    adminOrigins: partial.adminCors ?? [],
    adminToken: partial.adminToken !== undefined,
  };
  const core = await createMockCore(partial, { httpGuard });
  const { options } = core;
  const app = createFastifyServer({
    api: core.api,
    bodyTimeoutMs: options.bodyTimeoutMs,
    bodyTotalTimeoutMs: options.bodyTotalTimeoutMs,
    logger: loggerOption(options.logger, options.logFormat ?? "pretty"),
  });
  app.addHook("onClose", () => core.shutdown());
  try {
    await app.ready();
  } catch (error) {
    await core.shutdown();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    inject: (given) => inject(app, given),
    server: app.server,
    fastify: app,
    engine: core.engine,
    store: core.store,
    mockOptions: options,
    journal: core.engine.journal,
    webhooks: core.webhooks,
    stateFile: core.stateFile,
    replica: core.replica,
    listen: ({ port = 0, host = "127.0.0.1" } = {}) => {
      // A name to listen on is a name the mock answers; an address (0.0.0.0 too) needs none.
      // (An IPv6 address is given bare, colons and all.)
      if (!host.includes(":") && !isIpAddress(hostName(host))) hosts.add(hostName(host));
      return app.listen({ port, host });
    },
    close: () => {
      closing ??= app.close();
      return closing;
    },
  };
}

/** Fastify's `inject()`, with the result as the tests read it (string headers). */
async function inject(app: FastifyInstance, given: InjectOptions | string): Promise<InjectResponse> {
  const request = typeof given === "string" ? { url: given } : given;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value !== undefined) headers[name] = value;
  }
  const response = await app.inject({
    method: (request.method ?? "GET").toUpperCase() as "GET",
    url: request.url ?? "/",
    headers,
    ...(request.query === undefined ? {} : { query: request.query }),
    ...(request.payload === undefined ? {} : { payload: request.payload as string }),
  });
  const answered: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) answered[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return {
    statusCode: response.statusCode,
    headers: answered,
    body: response.body,
    payload: response.payload,
    rawPayload: response.rawPayload,
    json: <T>() => response.json() as T,
  };
}
