/**
 * What the READMEs state as facts of the repository, held to it: the dependency table (docs/dependencies.md)
 * says of each package what package.json says, every file path a README or a docs page names in
 * backticks exists, and every relative link of one leads to a file (and a heading) of the repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { brokenLinks } from "../package/markdown-links.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", ".git", "scratch"]);
/** Where the table of every dependency and why it is one lives (the root README is for users). */
const DEPENDENCIES_PAGE = "docs/dependencies.md";

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** The kind column's words, as package.json's groups. */
const KINDS: Record<string, string> = {
  runtime: "dependencies",
  dev: "devDependencies",
  peer: "peerDependencies",
  "optional peer": "peerDependencies (optional)",
};

/** The groups of package.json each package is in, in the words of KINDS' values. */
function groupsOf(pkg: PackageJson): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const add = (name: string, group: string) => groups.set(name, [...(groups.get(name) ?? []), group]);
  for (const name of Object.keys(pkg.dependencies ?? {})) add(name, "dependencies");
  for (const name of Object.keys(pkg.devDependencies ?? {})) add(name, "devDependencies");
  for (const name of Object.keys(pkg.peerDependencies ?? {})) {
    add(name, pkg.peerDependenciesMeta?.[name]?.optional ? "peerDependencies (optional)" : "peerDependencies");
  }
  return groups;
}

/** The rows of the table under `heading`: each row's backticked package names and its kind cell. */
function dependencyTable(page: string, heading: string): { names: string[]; kind: string }[] {
  const section = page.split(heading)[1]?.split(/\n## /)[0];
  if (section === undefined) throw new Error(`no "${heading}" section in ${DEPENDENCIES_PAGE}`);
  const rows = section.split("\n").filter((line) => line.startsWith("|"));
  const [header, , ...body] = rows.map((row) => row.split("|").map((cell) => cell.trim()));
  const kindColumn = header?.indexOf("kind") ?? -1;
  if (kindColumn < 0) throw new Error(`the table under "${heading}" has no kind column`);
  return body.map((cells) => ({
    names: [...(cells[1] ?? "").matchAll(/`([^`]+)`/g)].map((match) => match[1] as string),
    kind: cells[kindColumn] ?? "",
  }));
}

describe(`the dependency table of ${DEPENDENCIES_PAGE}`, () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;
  const rows = dependencyTable(readFileSync(join(ROOT, DEPENDENCIES_PAGE), "utf8"), "## Dependencies, and why each");

  it("names every package of package.json once, and none that it lacks", () => {
    const named = rows.flatMap((row) => row.names);
    expect(named.filter((name, i) => named.indexOf(name) !== i)).toEqual([]);
    expect([...named].sort()).toEqual([...groupsOf(pkg).keys()].sort());
  });

  it("gives each the kind (runtime, dev, peer) package.json gives it", () => {
    const groups = groupsOf(pkg);
    for (const { names, kind } of rows) {
      const said = kind.split(",").map((word) => KINDS[word.trim()] ?? `unknown kind "${word.trim()}"`);
      for (const name of names)
        expect({ name, groups: said.sort() }).toEqual({ name, groups: (groups.get(name) ?? []).sort() });
    }
  });
});

/** Every README.md of the repository and every page of `docs/`, as a path from the root. */
function readmes(folder = ROOT): string[] {
  const found: string[] = [];
  const docs = join(ROOT, "docs");
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) found.push(...readmes(join(folder, entry.name)));
    else if (entry.name === "README.md" || (folder === docs && entry.name.endsWith(".md")))
      found.push(relative(ROOT, join(folder, entry.name)));
  }
  return found;
}

const TOP_FOLDERS = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith(".") && !SKIPPED_FOLDERS.has(entry.name))
  .map((entry) => entry.name);
const EXTENSIONS = /\.(ts|js|mjs|cjs|json|yaml|yml|md|html|css|png|sh|py|go|java)$/;
/**
 * Named in backticks but not files of the repository, each for its reason: what the build makes (`dist/`),
 * what is installed (`node_modules/`), what runs write and git ignores (the contract and live drift
 * reports, `reports/tmp/`), and the package's own import specifiers (`converseiq-kit/openapi.json`,
 * `converseiq-kit/openapi-3.0.json` name exports of package.json, not files).
 */
const NOT_REPOSITORY_FILES = [
  /^dist\//,
  /^node_modules\//,
  /^reports\/(contract-drift|live-drift|tmp\/)/,
  /^converseiq-kit\//,
];

/** Backticked spans that look like a path of this repository: a top folder first, or a file's extension. */
function namedPaths(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\n]+)`/g)].map((match) => match[1] as string);
  return spans.filter((span) => {
    // Commands, URLs and a server's paths, flags, scoped packages, variables, bare extensions (`.d.ts`).
    if (/\s|:\/\/|^[-@/$]|^\.[^./]/.test(span)) return false;
    if (/^\.{1,2}\//.test(span)) return true;
    if (TOP_FOLDERS.some((top) => span.startsWith(`${top}/`))) return true;
    return EXTENSIONS.test(span.replace(/#.*$/, ""));
  });
}

/**
 * The fixed part of a path with a glob (`*`) or a placeholder (`<name>`, `{a,b}`, a word in capitals as in
 * `PATH.md`): what must exist.
 */
function fixedPart(path: string): string {
  const wild = path.search(/[*<{]|\b(?!README\b)[A-Z][A-Z_]+\b/);
  return wild < 0 ? path : path.slice(0, path.lastIndexOf("/", wild) + 1);
}

/** Every path under `folder` that ends with `name` (a file table of a subfolder names files by their own name). */
function existsBelow(folder: string, name: string): boolean {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (SKIPPED_FOLDERS.has(entry.name)) continue;
    const path = join(folder, entry.name);
    if (path.endsWith(`${sep}${name.split("/").join(sep)}`)) return true;
    if (entry.isDirectory() && existsBelow(path, name)) return true;
  }
  return false;
}

/** Whether `path`, named in the README in `folder`, is a file or folder of the repository. */
function exists(folder: string, path: string): boolean {
  const fixed = fixedPart(path.replace(/#.*$/, "")).replace(/\/$/, "");
  if (fixed === "" || fixed === "." || fixed === "..") return true;
  const here = join(ROOT, folder);
  // Beside the repository, not in it (the vendor's documents in `../shared/`): not this test's to check.
  const outside = (path: string) => relative(ROOT, path).startsWith("..");
  if (outside(join(here, fixed)) || outside(join(ROOT, fixed))) return true;
  if (existsSync(join(here, fixed)) || existsSync(join(ROOT, fixed))) return true;
  return !fixed.startsWith(".") && statSync(here).isDirectory() && existsBelow(here, fixed);
}

describe("the file paths the READMEs name", () => {
  for (const readme of readmes()) {
    it(`exist, in ${readme}`, () => {
      const folder = dirname(readme);
      const named = namedPaths(readFileSync(join(ROOT, readme), "utf8"));
      const missing = named.filter((path) => !NOT_REPOSITORY_FILES.some((pattern) => pattern.test(path)));
      expect(missing.filter((path) => !exists(folder, path))).toEqual([]);
    });
  }

  it("are linked, where a README or a docs page links them, to files and headings that exist", () => {
    expect(readmes().flatMap((readme) => brokenLinks(join(ROOT, readme), ROOT))).toEqual([]);
  });

  it("are recognised in a README at all (a test that finds no path checks nothing)", () => {
    expect(namedPaths(readFileSync(join(ROOT, "mock-server", "README.md"), "utf8"))).toContain("app.ts");
    expect(namedPaths("`mock-server/nowhere.ts` and `npm run build`")).toEqual(["mock-server/nowhere.ts"]);
    expect(exists("mock-server", "nowhere.ts")).toBe(false);
  });
});
