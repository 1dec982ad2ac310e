/**
 * The generated models of each language (generated/models/) parse what the mock makes, a sample of every
 * object schema of the spec (samples.ts), and write it back keeping every field: same keys (null and absent
 * told apart), same values (date-times as the same instant), and JSON the spec accepts. A language whose
 * toolchain is missing is skipped, loudly.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { closeObjects, createAjv } from "../../lib/ajv.ts";
import { publicSpec } from "../../lib/spec.ts";
import { compareJson } from "../compare.ts";
import { collectSamples, objectSchemas } from "../samples.ts";
import { runHarness, type Toolchain, toolchains } from "../toolchains.ts";

const samples = await collectSamples();
const ajv = createAjv([{ id: "openapi.json", doc: closeObjects(publicSpec) }]);
const validatorOf = (schema: string) => {
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`);
  if (!validate) throw new Error(`no schema ${schema}`);
  return validate;
};

it("has a sample of every object schema of the spec, so that every model is tried", () => {
  const sampled = new Set(samples.map((s) => s.schema));
  expect(objectSchemas().filter((schema) => !sampled.has(schema))).toEqual([]);
});

it("has samples that are instances of their schemas, every object closed", () => {
  const invalid = samples.flatMap(({ name, schema, body }) => {
    const validate = validatorOf(schema);
    return validate(body) ? [] : [`${name} (${schema}): ${JSON.stringify(validate.errors)}`];
  });
  expect(invalid).toEqual([]);
});

it("gives the Go harness a round trip for every object schema (its table is written by hand)", () => {
  const harness = readFileSync(new URL("../go/main.go", import.meta.url), "utf8");
  const table = harness.slice(
    harness.indexOf("var bySchema"),
    harness.indexOf("\n}\n", harness.indexOf("var bySchema")),
  );
  const named = new Set(
    [...table.matchAll(/^\t"(\w+)":\s+trip\(converseiq\.Unmarshal(\w+)\)/gm)]
      .filter((m) => m[1] === m[2])
      .map((m) => m[1]),
  );
  expect(objectSchemas().filter((schema) => !named.has(schema))).toEqual([]);
});

it("carries null values and an error without details, so absent and null are both tried", () => {
  expect(JSON.stringify(samples.map((s) => s.body))).toContain(":null");
  expect(samples.some((s) => s.schema === "Error" && !("details" in (s.body as object)))).toBe(true);
  expect(samples.some((s) => s.schema === "Error" && "details" in (s.body as object))).toBe(true);
});

/**
 * What a language's models are known to lose, by sample: the round trip of each is expected to fail
 * (`it.fails`), so the defect stays in sight and the day a fix lands the test fails until it is taken off.
 */
const KNOWN_LOSSES: Partial<Record<Toolchain["name"], Record<string, string>>> = {};

for (const toolchain of toolchains) {
  const found = toolchain.find();
  if (!found.found) {
    console.warn(`\n!!! SKIPPING the ${toolchain.name} round trip of generated/models: ${found.reason}.\n`);
    describe.skip(`${toolchain.name} models: SKIPPED, ${found.reason}`, () => {
      it("round trip", () => {});
    });
    continue;
  }

  describe(`${toolchain.name} models (${found.version})`, () => {
    let written: unknown[] = [];
    beforeAll(async () => {
      const harness = await toolchain.build();
      written = (await runHarness(
        harness,
        samples.map(({ schema, body }) => ({ schema, body })),
      )) as unknown[];
    }, 120_000);

    for (const [i, sample] of samples.entries()) {
      const known = KNOWN_LOSSES[toolchain.name]?.[sample.name];
      const test = known ? it.fails : it;
      test(`keeps every field of ${sample.name}${known ? ` [KNOWN LOSS, expected to fail: ${known}]` : ""}`, () => {
        expect(written).toHaveLength(samples.length);
        expect(compareJson(sample.body, written[i])).toEqual([]);
      });
    }

    it.each(samples.map((sample, i) => [sample.name, sample.schema, i] as const))(
      "writes %s as JSON the spec accepts (%s)",
      (_, schema, i) => {
        const validate = validatorOf(schema);
        expect(validate(written[i]) ? [] : validate.errors).toEqual([]);
      },
    );
  });
}
