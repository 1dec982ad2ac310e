/**
 * Requests no route answers: 405 with `Allow` when the path is one of the spec's with another method,
 * else 404. Both in the spec's `Error` shape.
 */
import type { FastifyInstance } from "fastify";
import type { Operation } from "../../lib/spec.ts";
import { sendError } from "./errors.ts";

interface PathMatcher {
  pattern: RegExp;
  methods: string[];
}

function matchers(prefix: string, operations: Operation[]): PathMatcher[] {
  const byPath = new Map<string, string[]>();
  for (const op of operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op.method.toUpperCase()]);
  return [...byPath].map(([path, methods]) => {
    const source = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+");
    return { pattern: new RegExp(`^${prefix}${source}/?$`), methods };
  });
}

export function installFallback(app: FastifyInstance, prefix: string, operations: Operation[]): void {
  const paths = matchers(prefix, operations);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    const known = paths.find((p) => p.pattern.test(path));
    if (known) {
      reply.header("allow", known.methods.join(", "));
      return sendError(reply, {
        code: "method_not_allowed",
        message: `${request.method} is not allowed on ${path}; allowed: ${known.methods.join(", ")}.`,
      });
    }
    return sendError(reply, {
      code: "not_found",
      message: `No route ${request.method} ${path}. The API lives under ${prefix}; see /__admin/fixtures for ids.`,
    });
  });
}
