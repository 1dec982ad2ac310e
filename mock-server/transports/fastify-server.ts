/**
 * The mock's own HTTP server (`npm start`, `buildMockServer`): a Fastify app with the engine's plugin
 * (fastify-plugin.ts) at its root, and the server options a socket of the mock needs:
 *
 * - `Expect` and a missing Host, which Node would answer bare, answered with the Error body, and the key
 *   checked before `100 Continue` is sent (expectations.ts);
 * - `clientErrorHandler`: what Node's parser refuses (a head over 16 KiB, bytes that are not HTTP) gets the
 *   spec's Error body (client-errors.ts);
 * - the logger: the request log, pretty or JSON (request-log.ts), with Fastify's own two lines per request
 *   turned off;
 * - `connectionTimeout` and `requestTimeout` off (0): the first cuts a connection that is silent, which it
 *   is while the engine holds an answer (`--latency`, `Prefer: delay`), and the second bounds the whole
 *   request rather than its silence (a slow but steady upload would be cut) and is checked only every 30 s.
 *   A body that stops arriving is the body timeout's (bodies.ts: a 408 framed by the engine);
 * - `return503OnClosing` off: a request on a connection that is open when the mock closes is still answered
 *   by the engine (Fastify's own 503 is not in the spec's shape); idle connections are closed at once;
 * - no schema compilers: the engine validates (Ajv, against the spec); a route of this app has no schema,
 *   so Fastify's default compilers (their own Ajv and fast-json-stringify), which it loads when the app is
 *   made, would only add about 60 ms to the mock's start.
 */
import type { Server } from "node:http";
import Fastify, {
  type FastifyHttpOptions,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from "fastify";
import type { EngineTransportApi } from "../engine/types.ts";
import { answerClientError } from "./client-errors.ts";
import { answerExpectations, missingHost } from "./expectations.ts";
import { engineHandlers, enginePlugin, writeAnswer } from "./fastify-plugin.ts";

export interface FastifyServerSettings {
  api: EngineTransportApi;
  /** How long (ms) a body may stop arriving before its 408 (`--body-timeout`). */
  bodyTimeoutMs: number;
  /** How long (ms) a whole body may take before its 408 (`--body-total-timeout`); a minute when absent. */
  bodyTotalTimeoutMs?: number;
  /** Fastify's `logger` option (request-log.ts `loggerOption`); off when absent. */
  logger?: FastifyServerOptions["logger"];
}

/** Stands in for Fastify's schema compilers, which no route of the mock's app calls. */
const noSchemas = () => () => {
  throw new Error("the mock's routes have no schemas: the engine validates every request");
};

/** The server options of the mock's Fastify app. */
export function serverOptions(settings: FastifyServerSettings): FastifyHttpOptions<Server> {
  const { answer } = engineHandlers(settings.api, settings.bodyTimeoutMs, 0);
  return {
    logger: settings.logger ?? false,
    // A URL Fastify's router cannot decode (bad percent-encoding) is the engine's to refuse, as every other.
    frameworkErrors: (_error, request, reply) => answer(request, reply),
    // Fastify's own two lines per request give way to the mock's one (request-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    clientErrorHandler: answerClientError,
    // A request without Host gets the Error body (expectations.ts), not Node's bare 400.
    http: { requireHostHeader: false },
    connectionTimeout: 0,
    requestTimeout: 0,
    keepAliveTimeout: 72_000,
    return503OnClosing: false,
    forceCloseConnections: "idle",
    schemaController: { compilersFactory: { buildValidator: noSchemas, buildSerializer: noSchemas } },
  };
}

export function createFastifyServer(settings: FastifyServerSettings): FastifyInstance {
  const app = Fastify(serverOptions(settings));
  answerExpectations(app.server, settings.api);
  app.addHook("onRequest", (request, reply, done) => {
    const refused = missingHost(request.raw);
    if (refused === undefined) {
      done();
      return;
    }
    reply.hijack();
    writeAnswer(reply.raw, refused, true);
  });
  app.register(enginePlugin, {
    api: settings.api,
    bodyTimeoutMs: settings.bodyTimeoutMs,
    ...(settings.bodyTotalTimeoutMs !== undefined ? { bodyTotalTimeoutMs: settings.bodyTotalTimeoutMs } : {}),
  });
  return app;
}
