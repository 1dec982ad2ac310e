/**
 * `generated/rules.ts`: each rule is read from the spec, and a spec that states one badly fails the generation
 * with a message naming what to fix. The docs that repeat a rule in words (the 413 response) agree with it.
 */

import type { oas31 } from "openapi3-ts";
import { describe, expect, expectTypeOf, it } from "vitest";
import { CODE_BY_STATUS, MAX_BODY_BYTES, type Page, STATUS_BY_CODE } from "../../generated/rules.ts";
import type { components } from "../../generated/types.ts";
import { publicSpec, resolve } from "../../lib/spec.ts";
import { generateRules } from "../generate-rules-lib.ts";

const spec = publicSpec as unknown as Record<string, unknown>;
const STATUS = "/components/schemas/Error/properties/code/x-status";

/** A copy of the spec with the value at `path` (a JSON pointer) replaced, or removed when `value` is undefined. */
function edited(path: string, value: unknown): Record<string, unknown> {
  const doc = structuredClone(spec);
  const keys = path.split("/").slice(1);
  const last = keys.pop() ?? "";
  let node = doc;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return doc;
}

describe("generateRules", () => {
  it("opens with the generated-do-not-edit header", () => {
    expect(generateRules(spec, "Generated. Do not edit.").split("\n").slice(0, 3)).toEqual([
      "/**",
      " * Generated. Do not edit.",
      " */",
    ]);
  });

  const broken: [string, string, unknown, RegExp][] = [
    ["no server", "/servers", [], /servers\[0\]\.url/],
    ["no body limit", "/x-max-body-bytes", undefined, /x-max-body-bytes/],
    ["a body limit that is not a positive integer", "/x-max-body-bytes", "1MiB", /x-max-body-bytes/],
    ["an error code with no status", `${STATUS}/email_taken`, undefined, /email_taken has none/],
    ["a status for a code the enum does not have", `${STATUS}/teapot`, 418, /teapot is not in the enum/],
    [
      "a page schema whose envelope differs",
      "/components/schemas/ChatPage/properties/limit",
      { type: "integer", maximum: 50 },
      /ChatPage differ from ContactPage/,
    ],
  ];
  it.each(broken)("fails on a spec with %s", (_, path, value, message) => {
    expect(() => generateRules(edited(path, value), "")).toThrow(message);
  });
});

describe("the rules", () => {
  it("give every status a general code that has that status", () => {
    for (const [status, code] of Object.entries(CODE_BY_STATUS)) expect(STATUS_BY_CODE[code]).toBe(Number(status));
    expect(new Set(Object.keys(CODE_BY_STATUS).map(Number))).toEqual(new Set(Object.values(STATUS_BY_CODE)));
  });

  it("match the words of the 413 response, which states the body limit", () => {
    const response = resolve<oas31.ResponseObject>(publicSpec, { $ref: "#/components/responses/PayloadTooLarge" });
    expect(response.description).toContain(`${MAX_BODY_BYTES} bytes`);
    expect(response.content?.["application/json"]?.example).toMatchObject({
      message: expect.stringContaining(`${MAX_BODY_BYTES}-byte`),
    });
  });

  it("type a page as the spec's page schemas do", () => {
    type Schemas = components["schemas"];
    expectTypeOf<Page<Schemas["Contact"]>>().branded.toEqualTypeOf<Schemas["ContactPage"]>();
    expectTypeOf<Page<Schemas["TeamMember"]>>().branded.toEqualTypeOf<Schemas["TeamMemberPage"]>();
    expectTypeOf<Page<string>>().branded.toEqualTypeOf<{
      data: string[];
      page: number;
      limit: number;
      pages: number;
      total: number;
    }>();
  });
});
