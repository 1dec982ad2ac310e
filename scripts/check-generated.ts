/**
 * `npm run check:generated`: fails, naming each file, when `generated/` differs from a fresh
 * generation (a spec edited without `npm run generate`, or a generated file edited by hand).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { generateAll, root } from "./generate-lib.ts";

const dir = join(root, "generated");
const fresh = await generateAll();
const stale: string[] = [];
for (const [name, content] of fresh) {
  const committed = await readFile(join(dir, name), "utf8").catch(() => undefined);
  if (committed === undefined) stale.push(`generated/${name} is missing`);
  else if (committed !== content) stale.push(`generated/${name} differs from the spec`);
}
for (const name of await readdir(dir)) {
  if (!fresh.has(name) && name !== "README.md" && name !== "models")
    stale.push(`generated/${name} is not made by npm run generate`);
}
if (stale.length > 0) {
  console.error(
    `generated/ is stale; run \`npm run generate\` and commit the result:\n${stale.map((s) => `- ${s}`).join("\n")}`,
  );
  process.exit(1);
}
console.log(`generated/ is up to date (${fresh.size} files).`);
