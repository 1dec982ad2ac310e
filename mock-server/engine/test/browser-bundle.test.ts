/**
 * The code that must run in a browser (the store, the engine, the fetch and MSW transports) bundles for
 * one: esbuild with `platform: "browser"`, as a page's bundler would, imports no `node:*` module (esbuild cannot resolve one
 * for a browser, so the build fails naming it) and reads no Node global (`Buffer`, `process`, ...) that a
 * browser lacks. A dependency that tests for a global before using it (`typeof Buffer > "u" ? ... : ...`,
 * as faker does) passes: it runs in a browser.
 */
import { createContext, runInContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Message } from "esbuild";
import { describe, expect, it } from "vitest";
import { root } from "../../../scripts/generate-lib.ts";
import { DEFAULT_SEED } from "../../store/seed.ts";
import { Store } from "../../store/store.ts";

/** The entry points that run in a browser: the store, the engine, and the two transports a page uses. */
const ENTRIES = [
  "mock-server/store/store.ts",
  "mock-server/engine/events.ts",
  "mock-server/engine/index.ts",
  "mock-server/transports/fetch.ts",
  "mock-server/transports/msw.ts",
];

/** Globals Node has and browsers do not. `require` is checked apart: esbuild turns it into its shim. */
const NODE_GLOBALS = ["Buffer", "process", "global", "__dirname", "__filename", "setImmediate", "clearImmediate"];

/**
 * Each Node global becomes a marker wherever the code reads it as a global: esbuild's `define` replaces
 * free identifiers only, not properties (`opts.code.process` in Ajv), strings (faker's "global" in its
 * word lists) or locals of the same name. `process.env.NODE_ENV` stays esbuild's own for a browser.
 */
const marker = (name: string) => `__node_global_${name}__`;
const MARKER = /__node_global_(\w+?)__/g;

interface Bundle {
  /** What esbuild could not bundle (a `node:*` import, a built-in module), with where it is imported. */
  errors: string[];
  /**
   * Reads of Node globals, untested, by module (`mock-server/x.ts: Buffer`), and a `require` esbuild could
   * not bundle (`require(name)`), which it leaves to a runtime a browser does not have.
   */
  globals: string[];
  /** Bytes, minified, and minified then gzipped. */
  size?: { minified: number; gzipped: number };
}

const common: BuildOptions = {
  bundle: true,
  platform: "browser",
  format: "esm",
  write: false,
  logLevel: "silent",
  absWorkingDir: root,
};

function describeMessage(m: Message): string {
  const where = m.location ? ` (${m.location.file}:${m.location.line}: ${m.location.lineText.trim()})` : "";
  return `${m.text}${where}`;
}

async function bundle(options: BuildOptions): Promise<Bundle> {
  let text: string;
  const errors: string[] = [];
  try {
    const result = await build({
      ...common,
      ...options,
      metafile: true,
      define: Object.fromEntries(NODE_GLOBALS.map((name) => [name, marker(name)])),
    });
    text = result.outputFiles?.[0]?.text ?? "";
    // Nothing is marked external here, so an import left out would be esbuild's choice; `<runtime>` is
    // its own helpers, which it bundles.
    for (const [path, input] of Object.entries(result.metafile?.inputs ?? {})) {
      for (const i of input.imports) {
        if (i.external && i.path !== "<runtime>") errors.push(`${path} imports ${i.path}, left out of the bundle`);
      }
    }
  } catch (error) {
    const messages = (error as { errors?: Message[] }).errors;
    if (!messages) throw error;
    return { errors: messages.map(describeMessage), globals: [] };
  }
  return { errors, globals: untestedGlobals(text) };
}

/**
 * The Node globals each module of the bundle reads without testing for them first. Unminified, esbuild
 * heads each module's code with a `// path` comment, which is how a marker is traced to its module; a
 * module that tests `typeof X` somewhere is taken to branch on it, as faker does for `Buffer`.
 */
function untestedGlobals(text: string): string[] {
  const found: string[] = [];
  const heads = [...text.matchAll(/^\/\/ (\S+)$/gm)];
  const sections = [
    { path: "(esbuild's runtime)", start: 0 },
    ...heads.map((h) => ({ path: h[1] ?? "", start: h.index })),
  ];
  sections.forEach((section, i) => {
    const code = text.slice(section.start, sections[i + 1]?.start ?? text.length);
    const read = new Set([...code.matchAll(MARKER)].map((m) => m[1] ?? ""));
    for (const name of read) {
      if (!code.includes(`typeof ${marker(name)}`)) found.push(`${section.path}: ${name}`);
    }
  });
  // esbuild's shim for a require it could not bundle throws at run time.
  if (text.includes("Dynamic require of")) found.push("(esbuild's runtime): require");
  return found;
}

async function measure(entry: string): Promise<Bundle> {
  const checked = await bundle({ entryPoints: [entry] });
  if (checked.errors.length > 0) return checked;
  const minified = (await build({ ...common, entryPoints: [entry], minify: true })).outputFiles?.[0]?.contents;
  const bytes = minified ?? new Uint8Array();
  return { ...checked, size: { minified: bytes.length, gzipped: gzipSync(bytes).length } };
}

const kB = (n: number) => `${(n / 1024).toFixed(0)} kB`;

describe("the code that runs in a browser bundles for one (esbuild, platform browser)", () => {
  for (const entry of ENTRIES) {
    it(`${entry} bundles with no node:* import and reads no Node global`, async () => {
      const result = await measure(entry);
      expect(result.errors, `${entry} does not bundle for a browser`).toEqual([]);
      expect(result.globals, `${entry} reads Node globals a browser lacks`).toEqual([]);
      const { minified, gzipped } = result.size ?? { minified: 0, gzipped: 0 };
      console.log(`browser bundle of ${entry}: ${kB(minified)} minified, ${kB(gzipped)} gzipped`);
    });
  }

  it("runs the store's bundle with only a browser's globals: the same seeded data, byte for byte, and new ids from WebCrypto", async () => {
    const script = await build({
      ...common,
      entryPoints: ["mock-server/store/store.ts"],
      format: "iife",
      globalName: "bundled",
    });
    // A context of its own has the language's built-ins and nothing of Node's; it gets what a browser has.
    const { crypto, TextEncoder, TextDecoder, URL, setTimeout, clearTimeout, queueMicrotask, performance } = globalThis;
    const page = createContext({
      crypto,
      TextEncoder,
      TextDecoder,
      URL,
      setTimeout,
      clearTimeout,
      queueMicrotask,
      performance,
    });
    runInContext(script.outputFiles?.[0]?.text ?? "", page);
    const inPage = runInContext(
      `const store = bundled.Store.seeded(${JSON.stringify(DEFAULT_SEED)});
       const seeded = JSON.stringify(store.snapshot());
       ({ seeded, made: store.createContact({ name: "Made in a page" }).guid, node: [typeof process, typeof Buffer] })`,
      page,
    );
    expect([...inPage.node]).toEqual(["undefined", "undefined"]);
    expect(inPage.seeded).toBe(JSON.stringify(Store.seeded(DEFAULT_SEED).snapshot()));
    expect(inPage.made).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("names what breaks it: a node:* import, an unbundled require, and Node globals read untested", async () => {
    const broken = await bundle({
      stdin: {
        contents: 'import { randomUUID } from "node:crypto";\nexport const id = randomUUID();\n',
        sourcefile: "uses-node-crypto.ts",
        loader: "ts",
        resolveDir: root,
      },
    });
    expect(broken.errors).toEqual([
      expect.stringMatching(/^Could not resolve "node:crypto" \(uses-node-crypto\.ts:1: /),
    ]);

    const globals = await bundle({
      stdin: {
        contents: [
          'export const bytes = Buffer.from("x");',
          "export const env = process.env.HOME;",
          "export const load = (name: string) => require(name);",
          // Tested first, so it runs in a browser: not reported.
          'export const tested = typeof setImmediate === "function" ? setImmediate : setTimeout;',
          // A property and a string of the same names: not globals.
          'export const names = [{ process: 1 }.process, "global Buffer"];',
        ].join("\n"),
        sourcefile: "uses-node-globals.ts",
        loader: "ts",
        resolveDir: root,
      },
    });
    expect(globals.errors).toEqual([]);
    expect(globals.globals.sort()).toEqual(
      ["(esbuild's runtime): require", "uses-node-globals.ts: Buffer", "uses-node-globals.ts: process"].sort(),
    );
  });
});
