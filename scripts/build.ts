/**
 * `npm run build` (also run by `prepack`, before `npm pack` and `npm publish`; `prestart` and `pretest` run
 * it with `--mock-only`) makes what the package ships in `dist/`. Not by `prepare`: a published package that
 * carries `prepare` is named by npm's install-script warning in every project that installs it.
 * It makes:
 *
 * 1. The entry points' JavaScript and `.d.ts` files, by `tsc -p tsconfig.build.json` (the files its `files`
 *    lists and what they import, tests never; `.ts` specifiers rewritten to `.js`; the generated specs
 *    copied as JSON), plus the files they read at run time by a path (the /docs page's init.js) and the
 *    files the package exports that nothing imports (the OpenAPI 3.0 rendition of the spec).
 * 2. The mock's command line as one JavaScript file, `dist/mock-server/cli.js`, so that it starts in plain
 *    `node` without a TypeScript loader (tsx's loader and the many small module files took most of a second).
 *
 * esbuild bundles the TypeScript, the bundled specs (JSON imports) and the dependencies. Beside the bundle:
 * the files it reads at run time by a path relative to its own (the /docs page's init.js), and
 * `inputs.json`, the source files it was made of, by which `bin/converseiq-mock.js` tells whether the bundle
 * is older than the source (then it runs the source through tsx instead).
 */
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
export const OUT_DIR = join(root, "dist", "mock-server");

/**
 * Swagger UI's files the /docs page serves, with its licence and notice (Apache-2.0 asks for both beside
 * what is redistributed). Copied into `dist/` rather than installed: `swagger-ui-dist` is a dev dependency,
 * because it depends on `@scarf/scarf`, whose install script reports each install to Scarf and is named by
 * npm's install-script warning in every project that installs the kit.
 */
const SWAGGER_UI = createRequire(import.meta.url)
  .resolve("swagger-ui-dist/package.json")
  .replace(/package\.json$/, "");
const SWAGGER_UI_FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "LICENSE", "NOTICE"];

/** Files the mock reads beside its own module at run time, copied to the same place beside the bundle. */
const RUNTIME_FILES = [
  { from: "mock-server/docs/browser/init.js", to: "browser/init.js" },
  ...SWAGGER_UI_FILES.map((name) => ({ from: `${SWAGGER_UI}${name}`, to: `browser/swagger-ui/${name}` })),
];

/** Top folders of `dist/` that tsc writes; emptied first, so that a source gone leaves nothing behind. */
const EMITTED = ["client", "contract-tests", "generated", "lib", "mock-server"];
/** What the mock bundle writes in `dist/mock-server/`, kept when the tsc output is cleared. */
const BUNDLE_FILES = new Set(["cli.js", "browser", "inputs.json"]);
/** Files the compiled modules read by a path relative to their own, copied beside them (from, to). */
const EMITTED_RUNTIME_FILES = [
  { from: "mock-server/docs/browser/init.js", to: "mock-server/docs/browser/init.js" },
  ...SWAGGER_UI_FILES.map((name) => ({
    from: `${SWAGGER_UI}${name}`,
    to: `mock-server/docs/browser/swagger-ui/${name}`,
  })),
];
/**
 * Files the package exports that no module imports, so tsc does not copy them: the OpenAPI 3.0 rendition
 * (`converseiq-kit/openapi-3.0.json`), read by client generators, not by code.
 */
const EXPORTED_FILES = ["generated/openapi-3.0.json"];

export async function buildPackage(): Promise<void> {
  const dist = join(root, "dist");
  for (const folder of EMITTED) {
    const path = join(dist, folder);
    if (folder !== "mock-server") {
      await rm(path, { recursive: true, force: true });
      continue;
    }
    const names = await readdir(path).catch(() => [] as string[]);
    for (const name of names) if (!BUNDLE_FILES.has(name)) await rm(join(path, name), { recursive: true, force: true });
  }
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc -p tsconfig.build.json failed:\n${stdout}${stderr}`);
  }
  for (const file of EMITTED_RUNTIME_FILES)
    await writeAtomically(join(dist, file.to), await readFile(resolve(root, file.from)));
  for (const file of EXPORTED_FILES) await writeAtomically(join(dist, file), await readFile(join(root, file)));
  for (const folder of EMITTED) await rewriteDeclarationSpecifiers(join(dist, folder));
}

/** A relative module specifier ending in `.ts`, as written in an import, export or `import("...")` type. */
const TS_SPECIFIER = /((?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"']*?)\.ts\2/g;

/**
 * tsc rewrites `./x.ts` to `./x.js` in the JavaScript it emits (rewriteRelativeImportExtensions) but keeps
 * the `.ts` in declaration files, which only TypeScript 5 and later resolve; `./x.js` resolves to
 * `./x.d.ts` in every version and module resolution mode.
 */
async function rewriteDeclarationSpecifiers(folder: string): Promise<void> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
    const path = join(entry.parentPath, entry.name);
    const text = await readFile(path, "utf8");
    const rewritten = text.replace(TS_SPECIFIER, (_, before, quote, stem) => `${before}${quote}${stem}.js${quote}`);
    if (rewritten !== text) await writeFile(path, rewritten);
  }
}

export async function buildMock(): Promise<{ outfile: string; inputs: string[] }> {
  const outfile = join(OUT_DIR, "cli.js");
  const result = await build({
    absWorkingDir: root,
    entryPoints: ["mock-server/cli.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    metafile: true,
    write: false,
    logLevel: "warning",
    legalComments: "none",
    // CommonJS dependencies call require(); an ES module has none unless it makes one.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
    },
  });
  await mkdir(OUT_DIR, { recursive: true });
  // Each file is written whole under another name and then renamed: a mock starting meanwhile (a test,
  // a second build) sees the old file or the new one, never half of one.
  for (const file of result.outputFiles) await writeAtomically(file.path, file.contents);
  for (const file of RUNTIME_FILES)
    await writeAtomically(join(OUT_DIR, file.to), await readFile(resolve(root, file.from)));
  // Our own files only: a change in node_modules comes with `npm ci`, and `npm start` and `npm test` build
  // again before they run (`prestart`, `pretest`).
  const inputs = [
    ...Object.keys(result.metafile.inputs).filter((path) => !path.includes("node_modules/")),
    ...RUNTIME_FILES.map((file) => file.from).filter((path) => !path.includes("node_modules/")),
  ].sort();
  await writeAtomically(join(OUT_DIR, "inputs.json"), `${JSON.stringify(inputs, null, 2)}\n`);
  return { outfile, inputs };
}

async function writeAtomically(path: string, contents: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  // tsc first: the bundle then writes dist/mock-server/cli.js, whatever tsc may have put there.
  if (!process.argv.includes("--mock-only")) await buildPackage();
  const { outfile, inputs } = await buildMock();
  const ms = Math.round(performance.now() - started);
  if (!process.argv.includes("--quiet")) {
    console.log(
      `built dist/ (tsc -p tsconfig.build.json) and ${outfile.slice(root.length)} from ${inputs.length} files in ${ms} ms`,
    );
  }
}
