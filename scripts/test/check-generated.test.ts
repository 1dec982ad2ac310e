/**
 * The drift check: it passes on a fresh generation and fails, naming the file, when the spec changes
 * without `npm run generate`, when a generated file is edited by hand, or when a stray file appears.
 * Runs on copies, so it can break them.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findStale, generateAll, root, specs } from "../generate-lib.ts";

let copy: string;
let fresh: Map<string, string>;

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), "ciq-check-generated-"));
  for (const part of ["openapi", "generated", ...specs.map((s) => s.source)]) {
    await cp(join(root, part), join(copy, part), { recursive: true });
  }
  fresh = await generateAll();
});
afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

describe("the check of generated/", () => {
  it("passes when generated/ matches the spec", async () => {
    expect(await findStale(join(root, "generated"), fresh)).toEqual([]);
  });

  it("fails, naming the files, when the spec changes without regenerating", async () => {
    const file = join(copy, "openapi/components/schemas/Contact.yaml");
    await writeFile(
      file,
      (await readFile(file, "utf8")).replace("GUID of the contact.", "GUID of the contact, changed."),
    );
    const stale = await findStale(join(root, "generated"), await generateAll(copy));
    expect(stale).toContain("generated/openapi.json differs from the spec");
    expect(stale).toContain("generated/types.ts differs from the spec");
    expect(stale).toContain("generated/openapi-3.0.json differs from the spec");
  });

  it("fails when a generated file is edited by hand", async () => {
    const file = join(copy, "generated/types.ts");
    await writeFile(file, `${await readFile(file, "utf8")}// a hand edit\n`);
    expect(await findStale(join(copy, "generated"), fresh)).toEqual(["generated/types.ts differs from the spec"]);
  });

  it("fails when generated/ holds a file no generation makes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ciq-generated-"));
    await cp(join(root, "generated"), dir, { recursive: true });
    await writeFile(join(dir, "stray.ts"), "export {};\n");
    expect(await findStale(dir, fresh)).toEqual(["generated/stray.ts is not made by npm run generate"]);
    await rm(dir, { recursive: true, force: true });
  });
});
