/**
 * `buildMockServer(options)`: the Fastify app of the mock. Wiring only: the store holds the data and the
 * rules, `http/` turns requests into store calls and failures into the spec's errors.
 */
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { listOperations, publicSpec } from "../lib/spec.ts";
import { createKeyCheck } from "./http/auth.ts";
import { frameworkErrors, installErrorHandler } from "./http/error-handler.ts";
import { installFallback } from "./http/fallback.ts";
import { registerPublicRoutes } from "./http/public-routes.ts";
import { createValidatorCompiler } from "./http/validation.ts";
import { BODY_LIMIT, type MockOptions, PUBLIC_PREFIX, withDefaults } from "./options.ts";
import { Store } from "./store/store.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The spec's operationId of a public route. */
    operationId?: string;
  }
}

export interface MockServer extends FastifyInstance {
  store: Store;
  mockOptions: MockOptions;
}

export async function buildMockServer(partial: Partial<MockOptions> = {}): Promise<MockServer> {
  const options = withDefaults(partial);
  const operations = listOperations(publicSpec);
  const store = Store.seeded(options.seed, {
    ...(options.now ? { now: options.now } : {}),
    ...(options.newId ? { newId: options.newId } : {}),
  });

  const app = Fastify({
    logger: options.logger ? { level: "info" } : false,
    // Fastify's two lines per request are replaced by our one (below).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    // Long ids reach validation (a clear 400) instead of failing to route (a puzzling 404).
    routerOptions: { maxParamLength: 2048, ignoreTrailingSlash: true },
    // HEAD is not in the spec: it answers 405 like any other undocumented method.
    exposeHeadRoutes: false,
    frameworkErrors,
  }) as unknown as MockServer;
  app.decorate("store", store);
  app.decorate("mockOptions", options);

  // Only JSON bodies: anything else is 415, not silently read as text.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(createValidatorCompiler(publicSpec));
  installErrorHandler(app);
  installFallback(app, PUBLIC_PREFIX, operations);

  const checkKey = createKeyCheck(options.apiKeys);
  app.addHook("onRequest", async (request) => {
    if (request.routeOptions.config.operationId) checkKey(request.headers["x-api-key"]);
  });
  if (options.logger) {
    // One line per request; headers (and so the API key) are never logged.
    app.addHook("onResponse", async (request, reply) => {
      request.log.info(
        `${request.method} ${request.url.split("?")[0]} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`,
      );
    });
  }

  registerPublicRoutes(app, { prefix: PUBLIC_PREFIX, operations, store: () => app.store });
  await app.ready();
  return app;
}
