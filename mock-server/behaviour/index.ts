/**
 * The behaviour switches of the mock, wired into the app: CORS, and on each public route (those with an
 * `operationId`) the rate limit, injected faults, `Prefer` and latency. Everything is compiled here at
 * start-up; a switch that is off adds no hook, and `Prefer` costs one header check when it is absent.
 *
 * Order on a public route: auth (401 first) -> rate limit (429) -> injected fault -> `Prefer` read (a bad
 * one is 400; `delay` waits here) -> request validation -> `Prefer` answer (the handler does not run) ->
 * handler -> latency before the answer goes out.
 */
import type {
  FastifyInstance,
  FastifyRequest,
  onRequestHookHandler,
  onSendHookHandler,
  preHandlerHookHandler,
  RouteOptions,
} from "fastify";
import type { Operation } from "../../lib/spec.ts";
import { HttpError } from "../engine/errors.ts";
import { realScheduler, type Scheduler } from "../scheduler.ts";
import { cannedResponses } from "./canned-responses.ts";
import { installCors } from "./cors.ts";
import { faultsFor, pickFault } from "./faults.ts";
import type { BehaviourOptions } from "./options.ts";
import { type CannedAnswer, planPrefer } from "./prefer.ts";
import { parsePrefer } from "./prefer-header.ts";
import { seededRandom } from "./random.ts";
import { RateLimiter } from "./rate-limit.ts";

export interface Behaviour {
  /**
   * Starts the random source of latency and faults afresh from `seed` (an admin reset), so that a reset
   * replays the same faults as a start with that seed. A random source given in the options is left alone.
   */
  reseed(seed: number): void;
}

export function installBehaviour(
  app: FastifyInstance,
  options: BehaviourOptions & { seed: { seed: number }; scheduler?: Scheduler },
  operations: Operation[],
): Behaviour {
  const cors = options.cors ?? true;
  if (cors !== false) installCors(app, cors, operations);

  let source = options.random ?? seededRandom(options.seed.seed);
  const random = () => source();
  // Every wait (Prefer's delay, latency) and the rate limit's windows go by the one scheduler.
  const scheduler = options.scheduler ?? realScheduler;
  const clock = options.clock ?? (() => scheduler.now());
  const limiter = options.rateLimit
    ? new RateLimiter(options.rateLimit.limit, options.rateLimit.windowMs, clock)
    : undefined;
  const hooks = new Map(operations.map((op) => [op.id as string, routeHooks(op, options, random, limiter, scheduler)]));

  app.addHook("onRoute", (route) => {
    const id = route.config?.operationId;
    const found = id === undefined ? undefined : hooks.get(id);
    if (!found) return;
    append(route, "onRequest", found.onRequest);
    append(route, "preHandler", found.preHandler);
    if (found.onSend) append(route, "onSend", found.onSend);
  });
  return {
    reseed: (seed) => {
      if (options.random === undefined) source = seededRandom(seed);
    },
  };
}

interface RouteHooks {
  onRequest: onRequestHookHandler[];
  preHandler: preHandlerHookHandler[];
  onSend: onSendHookHandler[] | undefined;
}

function routeHooks(
  op: Operation,
  options: BehaviourOptions,
  random: () => number,
  limiter: RateLimiter | undefined,
  scheduler: Scheduler,
): RouteHooks {
  const table = cannedResponses(op);
  const onRequest: onRequestHookHandler[] = [];

  if (limiter) {
    onRequest.push((request, _reply, done) => {
      // Auth ran first, so the key is one of the accepted ones.
      const retryAfter = limiter.hit(String(request.headers["x-api-key"]));
      if (retryAfter === 0) return done();
      done(rateLimited(retryAfter));
    });
  }

  const rate = options.errorRate ?? 0;
  const faults = faultsFor(table);
  if (rate > 0 && faults.length > 0) {
    onRequest.push((_request, _reply, done) => {
      const fault = pickFault(faults, rate, random);
      done(fault);
    });
  }

  // A Prefer'd answer is decided when the request comes in and sent after validation, instead of the handler.
  const answers = new WeakMap<FastifyRequest, CannedAnswer>();
  onRequest.push((request, _reply, done) => {
    const header = request.headers.prefer;
    if (header === undefined) return done();
    let plan: ReturnType<typeof planPrefer>;
    try {
      plan = planPrefer(table, parsePrefer(header));
    } catch (error) {
      return done(error as Error);
    }
    if (plan.answer) answers.set(request, plan.answer);
    if (plan.delayMs > 0) scheduler.setTimeout(done, plan.delayMs);
    else done();
  });
  const preHandler: preHandlerHookHandler = (request, reply, done) => {
    const answer = request.headers.prefer === undefined ? undefined : answers.get(request);
    if (!answer) return done();
    reply.code(answer.status).headers(answer.headers);
    if (answer.body === undefined) reply.send();
    else reply.type("application/json").send(answer.body);
  };

  let onSend: onSendHookHandler[] | undefined;
  const latency = options.latency;
  if (latency && latency.max > 0) {
    onSend = [
      (_request, _reply, payload, done) => {
        const ms = latency.min + Math.floor(random() * (latency.max - latency.min + 1));
        scheduler.setTimeout(() => done(null, payload), ms);
      },
    ];
  }
  return { onRequest, preHandler: [preHandler], onSend };
}

function rateLimited(retryAfter: number): HttpError {
  return new HttpError(
    "rate_limited",
    `Rate limit exceeded for this API key; retry after ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`,
    [],
    { "retry-after": String(retryAfter) },
  );
}

type HookName = "onRequest" | "preHandler" | "onSend";

/** Adds hooks to a route after the ones it already has. */
function append(route: RouteOptions, name: HookName, added: unknown[]): void {
  const current = route[name] as unknown;
  const before = current === undefined ? [] : Array.isArray(current) ? current : [current];
  (route as unknown as Record<HookName, unknown[]>)[name] = [...before, ...added];
}
