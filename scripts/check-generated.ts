/**
 * `npm run check:generated`: fails, naming each file, when `generated/` differs from a fresh
 * generation (a spec edited without `npm run generate`, or a generated file edited by hand).
 */
import { join } from "node:path";
import { findStale, generateAll, root } from "./generate-lib.ts";

const fresh = await generateAll();
const stale = await findStale(join(root, "generated"), fresh);
if (stale.length > 0) {
  console.error(
    `generated/ is stale; run \`npm run generate\` and commit the result:\n${stale.map((s) => `- ${s}`).join("\n")}`,
  );
  process.exit(1);
}
console.log(`generated/ is up to date (${fresh.size} files).`);
