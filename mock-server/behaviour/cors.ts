/**
 * CORS for browser apps, with `@fastify/cors`: any origin by default, or only the listed ones. Browsers
 * may send `x-api-key`, `Prefer` and `x-admin-token`, and may read `Retry-After`. A preflight (OPTIONS with
 * `Origin` and `Access-Control-Request-Method`) answers 204; any other OPTIONS is an undocumented method
 * and goes to the fallback (405 with `Allow` on the spec's paths).
 */
import fastifyCors from "@fastify/cors";
import type { FastifyInstance } from "fastify";
import type { Operation } from "../../lib/spec.ts";

export function installCors(app: FastifyInstance, origins: true | string[], operations: Operation[]): void {
  app.addHook("onRequest", (request, reply, done) => {
    const preflight = request.headers.origin !== undefined && request.headers["access-control-request-method"];
    if (request.method === "OPTIONS" && !preflight) return reply.callNotFound();
    done();
  });
  app.register(fastifyCors, {
    origin: origins === true ? "*" : origins,
    methods: [...new Set(operations.map((op) => op.method.toUpperCase()))],
    allowedHeaders: ["content-type", "x-api-key", "prefer", "x-admin-token"],
    exposedHeaders: ["retry-after"],
    maxAge: 600,
  });
}
