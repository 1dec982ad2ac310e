/**
 * Requests no route answers: 405 with `Allow` when the path is one of the spec's with another method,
 * else 404. Both in the spec's `Error` shape. Which path a request is comes from the one matcher
 * (lib/match-operation.ts).
 *
 * A literal path that a templated one also matches (`/contact/search` and `/contact/{contactId}`) is the
 * literal path, as OpenAPI matches them: `PUT /contact/search` is 405 (Allow: GET), not a PUT of the
 * contact "search". The router would hand it to the template, so those methods get explicit 405 routes.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { createOperationMatcher } from "../../lib/match-operation.ts";
import type { Operation } from "../../lib/spec.ts";
import { sendError } from "./errors.ts";

function methodNotAllowed(reply: FastifyReply, method: string, path: string, allowed: string[]) {
  reply.header("allow", allowed.join(", "));
  return sendError(reply, {
    code: "method_not_allowed",
    message: `${method} is not allowed on ${path}; allowed: ${allowed.join(", ")}.`,
  });
}

export function installFallback(app: FastifyInstance, prefix: string, operations: Operation[]): void {
  const matcher = createOperationMatcher(operations, prefix);
  for (const literal of matcher.paths.filter((p) => !p.templated)) {
    const url = `${prefix}${literal.path}`;
    const shadowed = matcher
      .candidates(url)
      .filter((p) => p.templated)
      .flatMap((p) => p.methods)
      .filter((m) => !literal.methods.includes(m));
    for (const method of new Set(shadowed)) {
      app.route({
        method: method as "PUT",
        url,
        handler: (request, reply) => methodNotAllowed(reply, request.method, url, literal.methods),
      });
    }
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    const { allowed } = matcher.match(request.method, path);
    if (allowed.length > 0) return methodNotAllowed(reply, request.method, path, allowed);
    return sendError(reply, {
      code: "not_found",
      message: `No route ${request.method} ${path}. The API lives under ${prefix}; see /__admin/fixtures for ids.`,
    });
  });
}
