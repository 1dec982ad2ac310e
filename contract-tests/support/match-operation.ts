/**
 * Which operation of the spec a request is: its method and its path (below the target's base path)
 * matched against the spec's path templates. Literal segments win over parameters, so
 * `/contact/search` is `searchContacts`, not `getContact` with the id "search".
 */
import { listOperations, type Operation } from "../../lib/spec.ts";

export interface Match {
  /** The operation, when the spec has one for this method and path. */
  operation: Operation | undefined;
  /** The methods the spec documents for the path (empty when the path is not in the spec at all). */
  allowed: string[];
  /** Path parameters by name, when the path matched. */
  params: Record<string, string>;
}

interface Template {
  path: string;
  pattern: RegExp;
  names: string[];
  literalSegments: number;
}

const operations = listOperations();
const templates: Template[] = [...new Set(operations.map((op) => op.path))]
  .map((path) => {
    const names: string[] = [];
    const source = path
      .split("/")
      .map((segment) => {
        const param = /^\{([^}]+)\}$/.exec(segment);
        if (!param?.[1]) return segment.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&");
        names.push(param[1]);
        return "([^/]+)";
      })
      .join("/");
    return {
      path,
      pattern: new RegExp(`^${source}/?$`),
      names,
      literalSegments: path.split("/").length - names.length,
    };
  })
  // Most literal first: `/contact/search` before `/contact/{contactId}`.
  .sort((a, b) => b.literalSegments - a.literalSegments);

/** Matches `method` and `path` (the part of the URL path below the base path, e.g. `/contact/1`). */
export function matchOperation(method: string, path: string): Match {
  for (const template of templates) {
    const found = template.pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    template.names.forEach((name, i) => {
      params[name] = safeDecode(found[i + 1] ?? "");
    });
    const onPath = operations.filter((op) => op.path === template.path);
    return {
      operation: onPath.find((op) => op.method === method.toLowerCase()),
      allowed: onPath.map((op) => op.method.toUpperCase()),
      params,
    };
  }
  return { operation: undefined, allowed: [], params: {} };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export { operations };
