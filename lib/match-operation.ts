/**
 * Which operation of a spec a request is, from its method and URL path, as OpenAPI matches paths: the path
 * is matched against the spec's path templates, and where several match, the one with a literal segment
 * first wins (`/contact/search` is `searchContacts`, not `getContact` with the id "search"). For the public
 * spec and the admin spec alike: it takes the operations (`listOperations(doc)`), and knows nothing of how
 * a server routes them.
 */

/** What the matcher needs of an operation; `Operation` of lib/spec.ts is one. */
export interface OperationLike {
  /** Lower or upper case: `get`, `GET`. */
  method: string;
  /** The path template as in the spec: `/contact/{contactId}`. */
  path: string;
}

export interface OperationMatch<Op> {
  /** The operation, when the spec has one for this method and path. */
  operation: Op | undefined;
  /** The spec's path template that matched (`/contact/{contactId}`); undefined when none did. */
  path: string | undefined;
  /** The methods the spec documents for that path, upper-case, in the spec's order (empty when none matched). */
  allowed: string[];
  /** Path parameters by name, decoded, when a path matched. */
  params: Record<string, string>;
}

/** One path template of the spec, with the methods it documents. */
export interface PathTemplate {
  path: string;
  /** True when the path has a parameter (`{contactId}`). */
  templated: boolean;
  /** Upper-case, in the spec's order. */
  methods: string[];
}

export interface OperationMatcher<Op> {
  /** Matches a method and a URL path (without the query string), the prefix included when one was given. */
  match(method: string, path: string): OperationMatch<Op>;
  /** Every path template that matches `path`, the one that wins first. */
  candidates(path: string): PathTemplate[];
  /** The spec's path templates, in the spec's order. */
  paths: readonly PathTemplate[];
}

interface Compiled<Op> {
  template: PathTemplate;
  pattern: RegExp;
  names: string[];
  /** One character a segment, `0` literal and `1` with a parameter: the lowest sorts first. */
  rank: string;
  operations: Op[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function compile<Op>(path: string, prefix: string): Compiled<Op> {
  const names: string[] = [];
  const segments = path.split("/").map((segment) =>
    segment
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (name === undefined) return escapeRegExp(part);
        names.push(name);
        return "([^/]+)";
      })
      .join(""),
  );
  return {
    template: { path, templated: names.length > 0, methods: [] },
    pattern: new RegExp(`^${escapeRegExp(prefix)}${segments.join("/")}/?$`),
    names,
    rank: path
      .split("/")
      .map((segment) => (segment.includes("{") ? "1" : "0"))
      .join(""),
    operations: [],
  };
}

/**
 * A matcher over `operations`. With `prefix` (`/public/v1`), a path matches only under it; the spec's paths
 * are below it.
 */
export function createOperationMatcher<Op extends OperationLike>(
  operations: readonly Op[],
  prefix = "",
): OperationMatcher<Op> {
  const byPath = new Map<string, Compiled<Op>>();
  for (const op of operations) {
    let entry = byPath.get(op.path);
    if (!entry) {
      entry = compile<Op>(op.path, prefix);
      byPath.set(op.path, entry);
    }
    entry.template.methods.push(op.method.toUpperCase());
    entry.operations.push(op);
  }
  const compiled = [...byPath.values()];
  // The most literal first, once: a request then takes the first template that matches, with no sorting
  // or copying per request (the mock matches every request). A stable sort: equally literal paths keep
  // the spec's order.
  const byRank = [...compiled].sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));

  return {
    paths: compiled.map((entry) => entry.template),
    candidates: (path) => byRank.filter((entry) => entry.pattern.test(path)).map((entry) => entry.template),
    match(method, path) {
      const entry = byRank.find((candidate) => candidate.pattern.test(path));
      if (!entry) return { operation: undefined, path: undefined, allowed: [], params: {} };
      const found = entry.pattern.exec(path) ?? [];
      const params: Record<string, string> = {};
      entry.names.forEach((name, i) => {
        params[name] = safeDecode(found[i + 1] ?? "");
      });
      const upper = method.toUpperCase();
      return {
        operation: entry.operations.find((op) => op.method.toUpperCase() === upper),
        path: entry.template.path,
        allowed: [...entry.template.methods],
        params,
      };
    },
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
