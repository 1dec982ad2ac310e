/**
 * `npm run docs [-- --out DIR]`: writes the API reference page as static files (default `dist/docs/`):
 * `index.html` (the spec inside, so it also opens from disk), `assets/` from node_modules, and
 * `openapi.json`. The same page as the mock's `/docs`, but "Try it out" offers the live API first and a
 * local mock second, and fills in no key.
 */
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { publicSpec } from "../lib/spec.ts";
import { DEFAULT_PORT } from "../mock-server/cli/flags.ts";
import { assetFiles, renderPage } from "../mock-server/docs/page.ts";
import { DEFAULT_API_KEY, PUBLIC_PREFIX } from "../mock-server/mock-options.ts";
import { root } from "./generate-lib.ts";

const { values } = parseArgs({ options: { out: { type: "string", default: "dist/docs" } } });
const out = resolve(root, values.out ?? "dist/docs");

const live = publicSpec.servers ?? [];
const html = renderPage({
  spec: publicSpec,
  servers: [
    ...live,
    {
      url: `http://127.0.0.1:{port}${PUBLIC_PREFIX}`,
      description: "A local mock (npm start)",
      variables: { port: { default: String(DEFAULT_PORT), description: "The port the mock listens on." } },
    },
  ],
  assetBase: "assets/",
  intro: [
    '> **"Try it out" sends real requests** to the server chosen under *Servers*: the live API, with your',
    "> own key under **Authorize**, or a local mock of converseiq-kit (`npm start`), whose key is",
    `> \`${DEFAULT_API_KEY}\`. A mock serves this same page at \`/docs\`, with its key filled in.`,
  ].join("\n"),
});

await rm(out, { recursive: true, force: true });
await mkdir(join(out, "assets"), { recursive: true });
await writeFile(join(out, "index.html"), html);
await writeFile(join(out, "openapi.json"), `${JSON.stringify(publicSpec, null, 2)}\n`);
for (const [name, file] of Object.entries(assetFiles)) await copyFile(file.path, join(out, "assets", name));
console.log(`wrote the API reference page to ${relative(root, out) || "."}/ (open index.html)`);
