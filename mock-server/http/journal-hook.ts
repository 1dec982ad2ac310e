/**
 * The journal fed by the Fastify app: every answered request, once its response is sent, but those of
 * routes marked `skipJournal` (the journal's own, so reading it adds nothing). The journal itself
 * (`journal.ts`) knows no framework.
 */
import type { FastifyInstance } from "fastify";
import { type Journal, journalPath } from "./journal.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Leave this route's requests out of the journal (the journal's own routes, so reading it adds nothing). */
    skipJournal?: boolean;
  }
}

/** Records every answered request (except those of routes marked `skipJournal`) once its response is sent. */
export function installJournal(app: FastifyInstance, journal: Journal): void {
  // A callback hook, not an async one: no promise per request.
  app.addHook("onResponse", (request, reply, done) => {
    const config = request.routeOptions.config;
    if (config.skipJournal) return done();
    const duration = reply.elapsedTime;
    journal.record({
      at: Date.now() - duration,
      method: request.method,
      path: journalPath(request.url),
      status: reply.statusCode,
      durationMs: Math.round(duration * 1000) / 1000,
      operationId: config.operationId ?? null,
    });
    done();
  });
}
