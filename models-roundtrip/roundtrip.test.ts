/**
 * The generated models of each language (generated/models/) parse real answers of the mock and write
 * them back keeping every field: same keys (null and absent told apart), same values (date-times as the
 * same instant), and JSON the spec accepts. A language whose toolchain is missing is skipped, loudly.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { closeObjects, createAjv } from "../lib/ajv.ts";
import { publicSpec } from "../lib/spec.ts";
import { compareJson } from "./compare.ts";
import { collectSamples } from "./samples.ts";
import { runHarness, toolchains } from "./toolchains.ts";

const samples = await collectSamples();
const ajv = createAjv([{ id: "openapi.json", doc: closeObjects(publicSpec) }]);

it("carries null values and an error without details, so absent and null are both tried", () => {
  expect(JSON.stringify(samples.map((s) => s.body))).toContain(":null");
  expect(samples.some((s) => s.schema === "Error" && !("details" in (s.body as object)))).toBe(true);
  expect(samples.some((s) => s.schema === "Error" && "details" in (s.body as object))).toBe(true);
});

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

    it.each(samples.map((sample, i) => [sample.name, i] as const))("keeps every field of %s", (_, i) => {
      const sample = samples[i];
      expect(written).toHaveLength(samples.length);
      expect(compareJson(sample?.body, written[i])).toEqual([]);
    });

    it.each(samples.map((sample, i) => [sample.name, sample.schema, i] as const))(
      "writes %s as JSON the spec accepts (%s)",
      (_, schema, i) => {
        const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`);
        if (!validate) throw new Error(`no schema ${schema}`);
        expect(validate(written[i]) ? [] : validate.errors).toEqual([]);
      },
    );
  });
}
