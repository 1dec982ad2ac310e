/**
 * Whether an object of an upstream's answer is one the spec allows, before the recorder takes it in: checked
 * against its kind's component schema (`#/components/schemas/Contact`, ...) by the Ajv set-up the response
 * validator uses (lib/ajv.ts). An object that breaks the spec (a contact whose `email` is a number) would make
 * the recorded state one the mock refuses, or break the state's building for every later write; so it is left
 * out and reported with its place instead. Properties the spec lacks are no fault here (the recorder drops
 * them, answer-objects.ts), so the schemas are checked open, and only the first problem of an object is told.
 */
import type { ValidateFunction } from "ajv";
import { createAjv, refInto } from "../../lib/ajv.ts";
import { publicSpec } from "../../lib/spec.ts";
import type { RecordedKind } from "./schema-marks.ts";

const SPEC_ID = "openapi.json";

/** Why an object was left out: where in it (a JSON pointer, "" for the whole object) and what was wrong. */
export interface ObjectProblem {
  pointer: string;
  message: string;
}

export type ObjectCheck = (kind: RecordedKind, value: unknown) => ObjectProblem | undefined;

export function createObjectCheck(): ObjectCheck {
  // The first problem is enough to leave an object out, and stopping there keeps a huge bad object cheap.
  const ajv = createAjv([{ id: SPEC_ID, doc: publicSpec }], { allErrors: false });
  const compiled = new Map<RecordedKind, ValidateFunction>();
  return (kind, value) => {
    let validate = compiled.get(kind);
    if (!validate) {
      validate = ajv.compile(refInto(SPEC_ID, { $ref: `#/components/schemas/${kind}` }));
      compiled.set(kind, validate);
    }
    if (validate(value)) return undefined;
    const error = validate.errors?.[0];
    return { pointer: error?.instancePath ?? "", message: error?.message ?? "does not match the spec" };
  };
}
