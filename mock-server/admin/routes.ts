/**
 * The admin API under `/__admin` as a Fastify plugin, for the Fastify app: the handler table
 * (handlers.ts), the admin spec's validator, the token check and the 404/405 answers, applied to these
 * routes only. The engine serves the same table through engine/admin.ts.
 */
import { Readable } from "node:stream";
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import { createOperationMatcher } from "../../lib/match-operation.ts";
import { sendError } from "../http/errors.ts";
import { toRoutePath } from "../http/route-path.ts";
import { routeSchema } from "../http/validation.ts";
import { ADMIN_PREFIX } from "../options.ts";
import { BODY_LIMITS, CHECKED_IN_HANDLER, handlers, JOURNAL_ROUTES } from "./handlers.ts";
import { JsonChunks } from "./state-json.ts";
import { ADMIN_TOKEN_HEADER, createAdminTokenCheck } from "./token.ts";
import type { AdminBody, AdminContext, AdminOperationId, AdminRequest, Handler } from "./types.ts";
import { ADMIN_SPEC_ID, adminOperations, createAdminValidatorCompiler } from "./validation.ts";

// The handler table moved to handlers.ts (no framework), which the engine serves too.
export { handlers };

async function emptyBodyWhenLeftOut(request: FastifyRequest): Promise<void> {
  if (request.body === undefined) request.body = {};
}

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
      ...(BODY_LIMITS[id] !== undefined ? { bodyLimit: BODY_LIMITS[id] } : {}),
      // An optional body left out is an empty one (`POST /__admin/reset` with no body resets as started).
      ...(op.requestBody && !op.requestBody.required ? { preValidation: emptyBodyWhenLeftOut } : {}),
      handler: async (request, reply) => {
        const parts = { path: request.params, query: request.query } as AdminRequest<AdminOperationId>;
        const result = handler(ctx, request.body as AdminBody<AdminOperationId>, parts);
        if (result === undefined) return reply.code(200).send();
        // A large state is written out piece by piece.
        if (result instanceof JsonChunks) {
          return reply
            .code(200)
            .type("application/json")
            .send(Readable.from(result.chunks, { objectMode: false }));
        }
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
