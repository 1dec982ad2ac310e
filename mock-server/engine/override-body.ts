/**
 * An override's answer checked against the public spec, by the shared response validator (lib/, strict:
 * no undocumented property), so that an override answers only what the live API could. Made on the first
 * override: building the validator compiles the spec's schemas, which most runs never need.
 */

import { createResponseValidator } from "../../lib/response-validator.ts";
import type { Operation } from "../../lib/spec.ts";

let validate: ReturnType<typeof createResponseValidator> | undefined;

/** What is wrong with `body` as the answer `status` of `op`: where (a JSON pointer, "" for the whole body) and what. */
export function checkOverrideBody(
  op: Operation,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): { field: string; message: string }[] {
  validate ??= createResponseValidator("strict");
  const verdict = validate(op, {
    status,
    contentType: "application/json",
    headers,
    text: body === undefined ? "" : JSON.stringify(body),
  });
  return verdict.problems.map((problem) => {
    const field = problem.instancePath ?? "";
    const prefix = `${field || "(body)"} `;
    const message =
      problem.rule === "schema" && problem.message.startsWith(prefix)
        ? problem.message.slice(prefix.length)
        : problem.message;
    return { field, message };
  });
}
