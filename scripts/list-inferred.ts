/**
 * `npm run list:inferred`: every part of the spec marked `x-inferred: true` (guessed, not documented by
 * the vendor), one JSON pointer a line, for checking against the live API.
 */
import { publicSpec } from "../lib/spec.ts";

export function inferredPointers(node: unknown, at = "#"): string[] {
  if (typeof node !== "object" || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = record["x-inferred"] === true ? [at] : [];
  return own.concat(
    ...Object.entries(record).map(([key, value]) =>
      inferredPointers(value, `${at}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`),
    ),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const pointer of inferredPointers(publicSpec)) console.log(pointer);
}
