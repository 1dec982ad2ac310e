/** `npm run generate`: rewrites every file in `generated/` from the specs. */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { generateAll, root } from "./generate-lib.ts";

const outDir = join(root, "generated");
const files = await generateAll();
await mkdir(outDir, { recursive: true });
// Written whole each time, so a model whose schema is gone goes too.
await rm(join(outDir, "models"), { recursive: true, force: true });
for (const [name, content] of files) {
  await mkdir(dirname(join(outDir, name)), { recursive: true });
  await writeFile(join(outDir, name), content);
  console.log(`wrote generated/${name}`);
}
