/**
 * `npm run generate:models`: rewrites `generated/models/` (Python, Go, Java) from the bundled spec
 * `generated/openapi.json` alone. `npm run generate` makes the same files along with everything else.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { root } from "./generate-lib.ts";
import { generateModels } from "./generate-models-lib.ts";

const outDir = join(root, "generated");
const spec = JSON.parse(await readFile(join(outDir, "openapi.json"), "utf8")) as Record<string, unknown>;
const files = await generateModels(spec);
await rm(join(outDir, "models"), { recursive: true, force: true });
for (const [name, content] of files) {
  await mkdir(dirname(join(outDir, name)), { recursive: true });
  await writeFile(join(outDir, name), content);
}
console.log(`wrote ${files.size} files under generated/models/ (python, go, java)`);
