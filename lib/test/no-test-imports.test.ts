/**
 * The package ships `mock-server/`, `lib/`, `client/` and `generated/` (built into `dist/`); the contract
 * suites' code is a test, so nothing shipped may import it (the `./mock` entry would then carry the suites
 * along, or break when they move). Every import specifier of every shipped source file is read by
 * TypeScript's own pre-processor (static imports, re-exports, `import()`, `import type`) and resolved
 * against the file; test files (`*.test.ts`, `*.test-d.ts`) are the one exception.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SHIPPED = ["mock-server", "lib", "client", "generated"];
const TESTS = resolve(root, "contract-tests");

const isTest = (file: string) => /\.test(-d)?\.ts$/.test(file);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(path);
    return /\.(m|c)?[jt]s$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The files under `contract-tests/` that `source` (the text of `file`) imports. */
function testImports(file: string, source: string): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((ref) => ref.fileName)
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => resolve(dirname(file), specifier))
    .filter((target) => target === TESTS || target.startsWith(TESTS + sep));
}

describe("shipped code", () => {
  it("finds an import of the contract suites in every form a file may write one", () => {
    const file = resolve(root, "mock-server/proxy/example.ts");
    const source = [
      'import { observe } from "../../contract-tests/drift/observe.ts";',
      'import type { X } from "../../contract-tests/support/x.ts";',
      'export * from "../../contract-tests/y.ts";',
      'const z = await import("../../contract-tests/z.ts");',
      'import { ok } from "../../lib/spec.ts";',
    ].join("\n");
    expect(testImports(file, source).map((t) => relative(root, t).split(sep).join("/"))).toEqual([
      "contract-tests/drift/observe.ts",
      "contract-tests/support/x.ts",
      "contract-tests/y.ts",
      "contract-tests/z.ts",
    ]);
  });

  it("imports nothing from contract-tests/ (but in test files)", () => {
    const files = SHIPPED.flatMap((dir) => sourceFiles(resolve(root, dir))).filter((f) => !isTest(f));
    // The walk found the shipped code, or the check below would pass on nothing.
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((file) =>
      testImports(file, readFileSync(file, "utf8")).map(
        (target) => `${relative(root, file)} imports ${relative(root, target)}`,
      ),
    );
    expect(offenders).toEqual([]);
  });
});
