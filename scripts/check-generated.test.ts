/**
 * The drift check itself: it passes on a fresh generation and fails, naming the file, when the spec
 * changes without `npm run generate` or a generated file is edited by hand. Run on a copy of the repo.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "./generate-lib.ts";

const run = promisify(execFile);
let copy: string;

/** The parts of the repo the check reads, copied so the tests can break them. */
const parts = ["package.json", "scripts", "openapi", "generated", "mock-server/admin/admin-openapi.yaml"];

async function check(): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(join(root, "node_modules/.bin/tsx"), ["scripts/check-generated.ts"], { cwd: copy });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), "ciq-check-generated-"));
  for (const part of parts) await cp(join(root, part), join(copy, part), { recursive: true });
  await symlink(join(root, "node_modules"), join(copy, "node_modules"));
});
afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

describe("npm run check:generated", () => {
  it("passes when generated/ matches the spec", async () => {
    const result = await check();
    expect(result.output).toContain("up to date");
    expect(result.code).toBe(0);
  });

  it("fails, naming the files, when the spec changes without regenerating", async () => {
    const file = join(copy, "openapi/components/schemas/Contact.yaml");
    const original = await readFile(file, "utf8");
    await writeFile(file, original.replace("GUID of the contact.", "GUID of the contact, changed."));
    const result = await check();
    await writeFile(file, original);
    expect(result.code).toBe(1);
    expect(result.output).toContain("generated/openapi.json differs from the spec");
    expect(result.output).toContain("generated/types.ts differs from the spec");
  });

  it("fails when a generated file is edited by hand", async () => {
    const file = join(copy, "generated/types.ts");
    const original = await readFile(file, "utf8");
    await writeFile(file, `${original}// a hand edit\n`);
    const result = await check();
    await writeFile(file, original);
    expect(result.code).toBe(1);
    expect(result.output).toContain("generated/types.ts differs from the spec");
  });
});
