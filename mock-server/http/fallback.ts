/**
 * Requests no route answers: 405 with `Allow` when the path is one of the spec's with another method,
 * else 404. Both in the spec's `Error` shape.
 *
 * A literal path that a templated one also matches (`/contact/search` and `/contact/{contactId}`) is the
 * literal path, as OpenAPI matches them: `PUT /contact/search` is 405 (Allow: GET), not a PUT of the
 * contact "search". The router would hand it to the template, so those methods get explicit 405 routes.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Operation } from "../../lib/spec.ts";
import { sendError } from "./errors.ts";

interface PathMatcher {
  path: string;
  templated: boolean;
  pattern: RegExp;
  methods: string[];
}

function matchers(prefix: string, operations: Operation[]): PathMatcher[] {
  const byPath = new Map<string, string[]>();
  for (const op of operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op.method.toUpperCase()]);
  return [...byPath].map(([path, methods]) => {
    const source = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+");
    return { path, templated: path.includes("{"), pattern: new RegExp(`^${prefix}${source}/?$`), methods };
  });
}

function methodNotAllowed(reply: FastifyReply, method: string, path: string, allowed: string[]) {
  reply.header("allow", allowed.join(", "));
  return sendError(reply, {
    code: "method_not_allowed",
    message: `${method} is not allowed on ${path}; allowed: ${allowed.join(", ")}.`,
  });
}

export function installFallback(app: FastifyInstance, prefix: string, operations: Operation[]): void {
  const paths = matchers(prefix, operations);
  for (const literal of paths.filter((p) => !p.templated)) {
    const shadowed = paths
      .filter((p) => p.templated && p.pattern.test(`${prefix}${literal.path}`))
      .flatMap((p) => p.methods)
      .filter((m) => !literal.methods.includes(m));
    for (const method of new Set(shadowed)) {
      app.route({
        method: method as "PUT",
        url: `${prefix}${literal.path}`,
        handler: (request, reply) =>
          methodNotAllowed(reply, request.method, `${prefix}${literal.path}`, literal.methods),
      });
    }
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    const known = paths.find((p) => p.pattern.test(path));
    if (known) return methodNotAllowed(reply, request.method, path, known.methods);
    return sendError(reply, {
      code: "not_found",
      message: `No route ${request.method} ${path}. The API lives under ${prefix}; see /__admin/fixtures for ids.`,
    });
  });
}
