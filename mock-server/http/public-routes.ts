/**
 * The public API's routes, one per operation of the spec, each a single store call. Paths, methods,
 * parameter parsing and validation come from the spec; only the mapping to the store is written here,
 * and the compiler checks that every operation has one.
 */
import type { FastifyInstance, preParsingHookHandler } from "fastify";
import type { Operation, OperationId } from "../../lib/spec.ts";
import { type Handler, handlers, type Input } from "../engine/stages/handler.ts";
import { serialize } from "../engine/stages/serialize.ts";
import type { Store } from "../store/store.ts";
import { toRoutePath } from "./route-path.ts";
import { routeSchema } from "./validation.ts";

// The handler table lives in the engine (engine/stages/handler.ts); these routes are its Fastify face.
export { handlers };

export function registerPublicRoutes(
  app: FastifyInstance,
  options: { prefix: string; operations: Operation[]; store: () => Store },
): void {
  for (const op of options.operations) {
    const handler = handlers[op.id] as Handler<OperationId>;
    // A read is answered from the records' kept texts; a write's answer is a new record, written once.
    const serializer = op.method === "get" ? serialize : JSON.stringify;
    app.route({
      method: op.method.toUpperCase() as "GET",
      url: `${options.prefix}${toRoutePath(op.path)}`,
      schema: routeSchema(op),
      config: { operationId: op.id },
      ...(op.requestBody ? {} : { preParsing: ignoreEmptyBody }),
      handler: async (request, reply) => {
        const input = { path: request.params, query: request.query, body: request.body } as Input<OperationId>;
        const result = handler(options.store(), input);
        // The reference: a DELETE answers 200 OK with an empty body.
        if (result === undefined) return reply.code(200).send();
        return reply.code(200).type("application/json").serializer(serializer).send(result);
      },
    });
  }
}

/**
 * An operation that takes no body has no body to parse when none is sent, whatever the Content-Type says:
 * a DELETE sent with a client's default `Content-Type: application/json` is not "an empty JSON body".
 */
const ignoreEmptyBody: preParsingHookHandler = (request, _reply, payload, done) => {
  const { headers } = request.raw;
  const length = headers["content-length"];
  if (headers["transfer-encoding"] === undefined && (length === undefined || length === "0")) {
    delete headers["content-type"];
  }
  done(null, payload);
};
