/**
 * The admin API under `/__admin`, as its own spec (admin-openapi.yaml) describes it: fixtures, reset,
 * state export and import, the request journal, webhook subscriptions and deliveries
 * (webhooks/admin-handlers.ts), and the triggers of changes the public API cannot make (triggers.ts). A
 * Fastify plugin, so that its validator (the admin spec's schemas), its token check and its 404/405
 * answers apply to these routes only. Each route is one call; the store, the seeding, the journal and the
 * webhooks do the work.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import { createOperationMatcher } from "../../lib/match-operation.ts";
import { sendError } from "../http/errors.ts";
import { toRoutePath } from "../http/route-path.ts";
import { routeSchema } from "../http/validation.ts";
import { ADMIN_PREFIX } from "../options.ts";
import { seedState } from "../store/seed.ts";
import { webhookHandlers } from "../webhooks/admin-handlers.ts";
import { fixturesOf } from "./fixtures.ts";
import { stateJsonStream } from "./state-json.ts";
import { ADMIN_TOKEN_HEADER, createAdminTokenCheck } from "./token.ts";
import { triggerHandlers } from "./triggers.ts";
import type { AdminBody, AdminContext, AdminOperationId, AdminRequest, Handler } from "./types.ts";
import { ADMIN_SPEC_ID, adminOperations, checkState, createAdminValidatorCompiler } from "./validation.ts";

/** The largest state `PUT /__admin/state` takes: far above the public API's 1 MiB, for large data sets. */
export const STATE_BODY_LIMIT = 512 * 1024 * 1024;

const fixtures = (ctx: AdminContext) => fixturesOf(ctx.store().state, ctx.options.apiKeys);

export const handlers: { [Id in AdminOperationId]: Handler<Id> } = {
  getFixtures: (ctx) => fixtures(ctx),
  resetState: (ctx, body) => {
    // Each size not given is the one the mock started with, not the one of the last reset.
    const seed = { ...ctx.options.seed, ...body };
    ctx.store().replace(seedState(seed));
    // The faults too start again from the seed: after a reset, a run replays as after a start.
    ctx.reseed(seed.seed);
    return fixtures(ctx);
  },
  exportState: (ctx) => stateJsonStream(ctx.store().snapshot()),
  importState: (ctx, body) => {
    // The schema and what it cannot say are checked here, the rest by the store; each throws before the
    // current state is touched.
    ctx.store().replace(checkState(body));
    return fixtures(ctx);
  },
  listRequests: (ctx) => ctx.journal.list(),
  clearRequests: (ctx) => {
    ctx.journal.clear();
  },
  ...webhookHandlers,
  ...triggerHandlers,
};

async function emptyBodyWhenLeftOut(request: FastifyRequest): Promise<void> {
  if (request.body === undefined) request.body = {};
}

/**
 * Validated in the handler, not by the route: the State schema is the largest there is, and compiling it
 * at start-up would slow every start for a route that is seldom called. `checkState` compiles it on first
 * use and is the same check the state file gets.
 */
const CHECKED_IN_HANDLER = new Set<AdminOperationId>(["importState"]);

/** The journal's own routes stay out of it: reading the journal should not change it. */
const JOURNAL_ROUTES = new Set<AdminOperationId>(["listRequests", "clearRequests"]);

export const adminRoutes: FastifyPluginAsync<AdminContext> = async (app, ctx) => {
  app.setValidatorCompiler(createAdminValidatorCompiler());
  if (ctx.options.adminToken !== undefined) {
    const check = createAdminTokenCheck(ctx.options.adminToken);
    app.addHook("onRequest", async (request) => check(request.headers[ADMIN_TOKEN_HEADER]));
  }
  for (const op of adminOperations) {
    const id = op.id as AdminOperationId;
    const handler = handlers[id] as Handler<AdminOperationId>;
    app.route({
      method: op.method.toUpperCase() as "GET",
      url: toRoutePath(op.path.slice(ADMIN_PREFIX.length)),
      schema: CHECKED_IN_HANDLER.has(id) ? {} : routeSchema(op, ADMIN_SPEC_ID),
      config: { skipJournal: JOURNAL_ROUTES.has(id) },
      ...(id === "importState" ? { bodyLimit: STATE_BODY_LIMIT } : {}),
      // An optional body left out is an empty one (`POST /__admin/reset` with no body resets as started).
      ...(op.requestBody && !op.requestBody.required ? { preValidation: emptyBodyWhenLeftOut } : {}),
      handler: async (request, reply) => {
        const parts = { path: request.params, query: request.query } as AdminRequest<AdminOperationId>;
        const result = handler(ctx, request.body as AdminBody<AdminOperationId>, parts);
        if (result === undefined) return reply.code(200).send();
        return reply.code(200).type("application/json").send(result);
      },
    });
  }
  installAdminFallback(app);
};

/** Under `/__admin`: 405 with `Allow` for a known path and another method, else 404 naming the routes. */
function installAdminFallback(app: FastifyInstance): void {
  const matcher = createOperationMatcher(adminOperations);
  const routes = adminOperations.map((op) => `${op.method.toUpperCase()} ${op.path}`).join(", ");
  app.setNotFoundHandler((request, reply) => {
    const path = (request.url.split("?")[0] ?? "").replace(/\/+$/, "");
    const methods = matcher.match(request.method, path).allowed;
    if (methods.length > 0) {
      reply.header("allow", methods.join(", "));
      return sendError(reply, {
        code: "method_not_allowed",
        message: `${request.method} is not allowed on ${path}; allowed: ${methods.join(", ")}.`,
      });
    }
    return sendError(reply, {
      code: "not_found",
      message: `No admin route ${request.method} ${path}. The admin API has: ${routes}.`,
    });
  });
}
