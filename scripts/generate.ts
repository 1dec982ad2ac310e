/** `npm run generate`: rewrites every file in `generated/` from the specs. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateAll, root } from "./generate-lib.ts";

const outDir = join(root, "generated");
await mkdir(outDir, { recursive: true });
for (const [name, content] of await generateAll()) {
  await writeFile(join(outDir, name), content);
  console.log(`wrote generated/${name}`);
}
