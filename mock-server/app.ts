/**
 * `buildMockServer(options)`: the Fastify app of the mock. Wiring only: the store holds the data and the
 * rules, `http/` turns requests into store calls and failures into the spec's errors.
 */
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { listOperations, publicSpec } from "../lib/spec.ts";
import { adminRoutes } from "./admin/routes.ts";
import { installBehaviour } from "./behaviour/index.ts";
import { DOCS_PREFIX, docsRoutes } from "./docs/routes.ts";
import { createKeyCheck } from "./http/auth.ts";
import { frameworkErrors, installErrorHandler } from "./http/error-handler.ts";
import { installFallback } from "./http/fallback.ts";
import { Journal } from "./http/journal.ts";
import { installJournal } from "./http/journal-hook.ts";
import { registerPublicRoutes } from "./http/public-routes.ts";
import { closeStalledRests, timeBodies } from "./http/request-body.ts";
import { createValidatorCompiler } from "./http/validation.ts";
import { ADMIN_PREFIX, BODY_LIMIT, DEFAULT_API_KEY, type MockOptions, PUBLIC_PREFIX, withDefaults } from "./options.ts";
import { attachStateFile, type StateFileWriter } from "./state-file.ts";
import { Store } from "./store/store.ts";
import { installWebhooks, type Webhooks } from "./webhooks/index.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The spec's operationId of a public route. */
    operationId?: string;
  }
}

export interface MockServer extends FastifyInstance {
  store: Store;
  mockOptions: MockOptions;
  /** Recent requests, for `GET /__admin/requests`. */
  journal: Journal;
  /** Webhook subscriptions, the delivery queue and its log (`/__admin/webhooks`). */
  webhooks: Webhooks;
  /** The writer of `--state FILE`, when there is one (tests await its `idle()`). */
  stateFile: StateFileWriter | undefined;
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
  app.decorate("journal", new Journal(options.journalCapacity));
  // Every change the store makes is sent to the subscribed endpoints, off the request's path.
  const clocks = { now: options.now, scheduler: options.scheduler };
  app.decorate("webhooks", installWebhooks(app, store, options.webhooks, clocks));

  // Only JSON bodies: anything else is 415, not silently read as text.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(createValidatorCompiler(publicSpec));
  installErrorHandler(app);
  // A body that stops arriving is a 408 (or, if the answer went first, a closed connection); one over the
  // limit is read to its end before its 413.
  app.addHook("preParsing", timeBodies(options.bodyTimeoutMs));
  app.addHook("onResponse", closeStalledRests(options.bodyTimeoutMs));
  installFallback(app, PUBLIC_PREFIX, operations);
  // CORS, rate limit, faults, Prefer, latency: before auth, so CORS headers reach a 401 too.
  const behaviour = installBehaviour(app, options, operations);

  const checkKey = createKeyCheck(options.apiKeys);
  // A callback hook, not an async one: no promise per request. A throw here is passed on as the error.
  app.addHook("onRequest", (request, _reply, done) => {
    if (request.routeOptions.config.operationId) checkKey(request.headers["x-api-key"]);
    done();
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
  installJournal(app, app.journal);
  await app.register(adminRoutes, {
    prefix: ADMIN_PREFIX,
    store: () => app.store,
    journal: app.journal,
    options,
    webhooks: app.webhooks,
    reseed: behaviour.reseed,
  });
  // The API reference page (no key needed; "Try it out" points at this mock with its first key).
  const apiKey = options.apiKeys[0] ?? DEFAULT_API_KEY;
  await app.register(docsRoutes, { prefix: DOCS_PREFIX, spec: publicSpec, publicPrefix: PUBLIC_PREFIX, apiKey });
  // Loads the file now (a bad one throws before anything is served), then keeps it up to date.
  const stateFile =
    options.stateFile === undefined
      ? undefined
      : await attachStateFile(app, app.store, options.stateFile, { scheduler: options.scheduler });
  app.decorate("stateFile", stateFile);
  await app.ready();
  return app;
}
