/**
 * The transports are doors to the engine and hold no rule of the API: of the engine they know only its
 * contract (`engine/types.ts`), and nothing of the admin API, the store or the behaviour switches. The
 * engine itself is made by the wiring beside them (`mock-core.ts`, `in-process-mock.ts`). Every import
 * specifier of every transport file is read by TypeScript's own pre-processor (static imports, re-exports,
 * `import()`, `import type`) and resolved against the file.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const transports = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const mockServer = resolve(transports, "..");
/** The folders a transport may not reach into, and the one file of them it may. */
const CLOSED = ["engine", "admin", "store", "behaviour", "webhooks", "replication"];
const CONTRACT = join(mockServer, "engine", "types.ts");

function transportFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "test" ? [] : transportFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The files of the closed folders that `source` (the text of `file`) imports, but the contract. */
function closedImports(file: string, source: string): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((ref) => ref.fileName)
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => resolve(dirname(file), specifier))
    .filter((target) => target !== CONTRACT)
    .filter((target) => CLOSED.some((folder) => target.startsWith(join(mockServer, folder) + sep)))
    .map((target) => relative(mockServer, target).split(sep).join("/"));
}

describe("the transports", () => {
  it("find an import into the engine's internals in every form a file may write one", () => {
    const file = join(transports, "example.ts");
    const source = [
      'import type { EngineResponse } from "../engine/types.ts";',
      'import { createEngine } from "../engine/index.ts";',
      'import type { Store } from "../store/store.ts";',
      'export * from "../admin/token.ts";',
      'const cors = await import("../engine/stages/cors.ts");',
      'import { parseBaseUrl } from "./web.ts";',
    ].join("\n");
    expect(closedImports(file, source)).toEqual([
      "engine/index.ts",
      "store/store.ts",
      "admin/token.ts",
      "engine/stages/cors.ts",
    ]);
  });

  it("import nothing of the engine but its contract, engine/types.ts, and nothing of admin, store or behaviour", () => {
    const files = transportFiles(transports);
    // The walk found the transports, or the check below would pass on nothing.
    expect(files.map((file) => relative(transports, file))).toContain("fastify-plugin.ts");
    const offenders = files.flatMap((file) =>
      closedImports(file, readFileSync(file, "utf8")).map((target) => `${relative(mockServer, file)} -> ${target}`),
    );
    expect(offenders).toEqual([]);
  });
});
