/**
 * Stage 1, match: which operation a request is, from its method and path, by the one matcher
 * (lib/match-operation.ts): the path under the public prefix, one trailing slash allowed, percent-encoding
 * decoded in parameters, an empty segment an empty parameter. `/__admin` and below go to the admin API.
 *
 * Two requests are refused here, before any other stage (so with no CORS headers, and out of the journal):
 * a path with bad percent-encoding, and a path parameter over 2048 characters (an id that long cannot be
 * one). These rules are kept as they are so that answers stay byte for byte what clients already get.
 */
import { createOperationMatcher } from "../../../lib/match-operation.ts";
import type { Operation } from "../../../lib/spec.ts";
import { ADMIN_PREFIX } from "../../mock-options.ts";
import { errorResponse } from "../error-response.ts";
import type { EngineResponse } from "../types.ts";

/** The longest path parameter routed, decoded; longer ones are refused (400). */
export const MAX_PARAM_LENGTH = 2048;

export type Match =
  /** A public operation, with its path parameters decoded. */
  | { kind: "operation"; operation: Operation; params: Record<string, string> }
  /** Under `/__admin`: the admin API's. */
  | { kind: "admin" }
  /**
   * No operation: `allowed` lists the methods of the path when it is one of the spec's (a 405), else empty
   * (404). `shadowed` is the literal path, when a template with this method also matches it (the 405 of
   * `PUT /contact/search` names `/public/v1/contact/search`, and reads the body first, as a route would).
   */
  | { kind: "none"; allowed: string[]; shadowed?: string }
  /** Refused before routing: a malformed URL. */
  | { kind: "refused"; response: EngineResponse };

export type MatchStage = (method: string, path: string) => Match;

const badUrl = () =>
  errorResponse({ code: "invalid_request", message: "The URL is not well-formed (bad percent-encoding)." });
const unroutable = () =>
  errorResponse({
    code: "invalid_request",
    message: "The request could not be routed: the URL is malformed or too long.",
  });

/**
 * The path with percent-encoding decoded for matching: all but the characters a path segment
 * reserves (`%2F` stays a slash inside a parameter, decoded later with it), and `%25` kept for the
 * parameters' own decoding; undefined when the encoding is malformed.
 */
export function decodePath(path: string): string | undefined {
  if (!path.includes("%")) return path;
  try {
    return decodeURI(path.replace(/%25/g, "%2525"));
  } catch {
    return undefined;
  }
}

/** Stands for an empty path segment while matching: no decoded path holds it (see matchWithEmptyParameters). */
const EMPTY = "\u0000\u0001";

/** A path of the spec with no parameter: its operations by method, and the methods a template shadows. */
interface LiteralPath {
  byMethod: Map<string, Operation>;
  allowed: string[];
  /** Methods of a template that also matches this path, which this path does not have. */
  shadowed: Set<string>;
  /** With the prefix: `/public/v1/contact/search`. */
  path: string;
}

export function createMatchStage(operations: readonly Operation[], prefix: string): MatchStage {
  const matcher = createOperationMatcher(operations, prefix);
  // The spec's literal paths, for the common request: a literal path beats any template, so an exact hit
  // needs no regular expression.
  const literal = new Map<string, LiteralPath>();
  for (const template of matcher.paths) {
    if (template.templated) continue;
    const path = `${prefix}${template.path}`;
    const shadowed = matcher
      .candidates(path)
      .filter((p) => p.templated)
      .flatMap((p) => p.methods)
      .filter((m) => !template.methods.includes(m));
    const entry: LiteralPath = {
      byMethod: new Map(
        operations.filter((op) => op.path === template.path).map((op) => [op.method.toUpperCase(), op]),
      ),
      allowed: template.methods,
      shadowed: new Set(shadowed),
      path,
    };
    literal.set(path, entry);
    literal.set(`${path}/`, entry);
  }
  const adminSlash = `${ADMIN_PREFIX}/`;

  /**
   * An empty segment is an empty parameter (`/chat//message` is listChatMessages with chatId "", a 400
   * naming the parameter rather than a 404), where the matcher wants one character at least: an empty inner
   * segment stands in as a placeholder no path holds, and comes back as "".
   */
  const matchWithEmptyParameters = (method: string, path: string) => {
    const found = matcher.match(method, path);
    if (found.path !== undefined || !path.includes("//")) return found;
    const segments = path.split("/");
    for (let i = 1; i < segments.length - 1; i++) if (segments[i] === "") segments[i] = EMPTY;
    const again = matcher.match(method, segments.join("/"));
    for (const name in again.params) if (again.params[name] === EMPTY) again.params[name] = "";
    return again;
  };

  return (method, rawPath) => {
    const path = decodePath(rawPath);
    if (path === undefined) return { kind: "refused", response: badUrl() };
    if (path === ADMIN_PREFIX || path.startsWith(adminSlash)) return { kind: "admin" };
    const exact = literal.get(path);
    if (exact) {
      const operation = exact.byMethod.get(method);
      if (operation) return { kind: "operation", operation, params: {} };
      return exact.shadowed.has(method)
        ? { kind: "none", allowed: exact.allowed, shadowed: exact.path }
        : { kind: "none", allowed: exact.allowed };
    }
    const found = matchWithEmptyParameters(method, path);
    if (!found.operation) return { kind: "none", allowed: found.allowed };
    for (const name in found.params) {
      if ((found.params[name] as string).length > MAX_PARAM_LENGTH) return { kind: "refused", response: unroutable() };
    }
    return { kind: "operation", operation: found.operation, params: found.params };
  };
}
