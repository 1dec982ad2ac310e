/**
 * ONE-SHOT dev tool: run once, after the branches that edit tests are merged, then delete this file (and
 * `scripts/dev/` if it is left empty). It is not part of the build, the checks or the package.
 *
 *   npx tsx scripts/dev/apply-test-layout.ts            # moves, rewrites, prints what it did
 *   npx tsx scripts/dev/apply-test-layout.ts --dry-run  # prints what it would do, changes nothing
 *
 * The layout it applies (docs/contributing.md, "Where tests live"): a folder's tests live in a `test/`
 * subfolder of the folder whose code they test, `mock-server/store/contacts.test.ts` becoming
 * `mock-server/store/test/contacts.test.ts`. What already lives in a `test/` folder stays
 * (`mock-server/test/`, the route-level tests of the whole mock; `mock-server/replication/test/`). The
 * contract suites (`contract-tests/suites/`) stay: they are what `converseiq-kit/contract` ships and runs,
 * not tests of code beside them. `contract-tests/self/`, the tests of the contract tests' own code, becomes
 * `contract-tests/test/`; `mock-server/transports/browser/`, the page of the MSW worker's browser test,
 * `mock-server/transports/test/browser/`.
 *
 * What it does, in order:
 * 1. Lists the moves: every `*.test.ts` and `*.test-d.ts` not yet in a `test/` folder, the support files
 *    only those tests use (SUPPORT_FILES), and the folder renames (FOLDER_RENAMES). Stops, changing
 *    nothing, if two files would land on one path or a target exists.
 * 2. In every TypeScript/JavaScript file, rewrites each relative path (import and export specifiers,
 *    `import()`, `new URL("...", import.meta.url)`, any "./" or "../" string naming an existing path) that
 *    a move changes: the moved file's own (one level deeper) and those naming a moved file.
 * 3. In every text file (code, READMEs, configs, CI), replaces each moved file's path from the root
 *    (`mock-server/replication/replication.test.ts` in a string or a README) with its new one.
 * 4. In every README.md, rewrites the backticked names of moved files relative to the README (a file
 *    table's `contacts.test.ts` becomes `test/contacts.test.ts`, a glob `*.test.ts` of a folder whose tests
 *    moved `test/*.test.ts`, `self/` in contract-tests `test/`).
 * 5. Moves the files (`git mv` inside a git work tree, else a rename).
 *
 * Idempotent: a second run finds nothing to move and changes nothing. Afterwards run
 * `npx tsc -p . && npx biome check --write . && npx vitest run`, and read the diff of the READMEs: prose
 * that describes tests "beside the code" is not rewritten.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** This file, which names the old paths on purpose and is never rewritten. */
const SELF = relative(ROOT, fileURLToPath(import.meta.url))
  .split(sep)
  .join("/");
const DRY_RUN = process.argv.includes("--dry-run");
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", ".git", "scratch", ".state"]);
/** Tests that stay where they are, and why: the contract suites are the product `./contract` ships. */
const STAYING = [/^contract-tests\/suites\//];
/** Folders renamed whole: a folder of tests already, under another name than `test/`. */
const FOLDER_RENAMES: [string, string][] = [
  ["contract-tests/self", "contract-tests/test"],
  // The page the MSW worker's browser test loads: a fixture of that test.
  ["mock-server/transports/browser", "mock-server/transports/test/browser"],
];
/** Files beside the code that only its tests use: they move with them. */
const SUPPORT_FILES = ["client/fake-fetch.ts"];
const CODE = /\.(ts|mts|js|mjs|cjs)$/;
const TEXT = /\.(ts|mts|js|mjs|cjs|json|md|ya?ml|sh|toml)$|(^|\/)\.ci\//;

/** Every file of the repository, as a path from the root with `/`. */
function repositoryFiles(folder = ROOT): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (SKIPPED_FOLDERS.has(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...repositoryFiles(path));
    else if (entry.isFile()) found.push(relative(ROOT, path).split(sep).join("/"));
  }
  return found;
}

const isTest = (path: string) => /\.test(-d)?\.ts$/.test(path);
const inTestFolder = (path: string) => posix.dirname(path).split("/").includes("test");

/** Where each file that moves goes, by its path now. */
function plannedMoves(files: string[]): Map<string, string> {
  const moves = new Map<string, string>();
  for (const file of files) {
    const renamed = FOLDER_RENAMES.find(([from]) => file.startsWith(`${from}/`));
    if (renamed) {
      moves.set(file, `${renamed[1]}${file.slice(renamed[0].length)}`);
      continue;
    }
    if (!isTest(file) && !SUPPORT_FILES.includes(file)) continue;
    if (inTestFolder(file) || STAYING.some((pattern) => pattern.test(file))) continue;
    moves.set(file, posix.join(posix.dirname(file), "test", posix.basename(file)));
  }
  const targets = new Map<string, string>();
  for (const [from, to] of moves) {
    const clash = targets.get(to) ?? (existsSync(join(ROOT, to)) ? to : undefined);
    if (clash !== undefined)
      throw new Error(`${from} would land on ${to}, which ${clash} already takes; nothing changed`);
    targets.set(to, from);
  }
  return moves;
}

/** A path's new place: its own move, or its folder's rename. */
function movedPath(path: string, moves: Map<string, string>): string {
  const own = moves.get(path);
  if (own !== undefined) return own;
  for (const [from, to] of FOLDER_RENAMES) {
    if (path === from) return to;
    if (path.startsWith(`${from}/`)) return `${to}${path.slice(from.length)}`;
  }
  return path;
}

/** `spec` (relative, as written in `from`) rewritten for the file's new place and its target's. */
function rewriteRelative(spec: string, from: string, moves: Map<string, string>, bare: boolean): string {
  const target = posix.normalize(posix.join(posix.dirname(from), spec));
  // A path beside the repository (`../..` to its parent folder) is rewritten too: only `from` moves.
  if (!(existsSync(join(ROOT, target)) || moves.has(target))) return spec;
  const newFrom = movedPath(from, moves);
  const newTarget = movedPath(target, moves);
  if (newFrom === from && newTarget === target) return spec;
  let result = posix.relative(posix.dirname(newFrom), newTarget) || ".";
  if (!result.startsWith(".") && !bare) result = `./${result}`;
  if (spec.endsWith("/") && !result.endsWith("/")) result += "/";
  return result;
}

/** Step 2: the relative paths in one code file. */
function rewriteCode(file: string, text: string, moves: Map<string, string>): string {
  // `new URL("x", import.meta.url)`: relative even without "./".
  let out = text.replace(
    /new URL\((["'])([^"'\n]+)\1(\s*,\s*import\.meta\.url\))/g,
    (_all, quote: string, spec: string, rest: string) =>
      `new URL(${quote}${/^[a-z]+:|^\//.test(spec) ? spec : rewriteRelative(spec, file, moves, !spec.startsWith("."))}${quote}${rest}`,
  );
  // Every other "./..." or "../..." string (imports, exports, import(), paths built from them); not a bare
  // "." or "..", which outside `new URL` is as often a separator (`split(".")`) as a folder.
  out = out.replace(
    /(?<!new URL\()(["'])(\.{1,2}\/[^"'\n]*)\1/g,
    (_all, quote: string, spec: string) => `${quote}${rewriteRelative(spec, file, moves, false)}${quote}`,
  );
  return out;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Step 3: each moved file's path from the root, wherever it is written whole. */
function rewriteRootPaths(text: string, moves: Map<string, string>): string {
  let out = text;
  for (const [from, to] of moves) {
    out = out.replace(new RegExp(`(?<![\\w./-])${escapeRegExp(from)}(?![\\w-])`, "g"), to);
  }
  for (const [from, to] of FOLDER_RENAMES) {
    out = out.replace(new RegExp(`(?<![\\w./-])${escapeRegExp(from)}(?![\\w-])`, "g"), to);
  }
  return out;
}

/** Step 4: a README's backticked names of moved files, relative to the README's folder. */
function rewriteReadme(readme: string, text: string, files: string[], moves: Map<string, string>): string {
  const folder = posix.dirname(readme) === "." ? "" : posix.dirname(readme);
  const under = (path: string) => (folder === "" ? path : `${folder}/${path}`);
  const rewriteSpan = (all: string, span: string): string => {
    const renamed = FOLDER_RENAMES.find(([from]) => span.endsWith("/") && posix.normalize(under(span)) === `${from}/`);
    if (renamed) return `\`${posix.relative(folder, renamed[1])}/\``;
    const name = posix.basename(span);
    const spanFolder = posix.dirname(span);
    // A glob of a folder's tests, all of which moved.
    if (name === "*.test.ts") {
      const glob = posix.normalize(under(spanFolder));
      const tests = files.filter((file) => posix.dirname(file) === glob && isTest(file));
      if (tests.length > 0 && tests.every((file) => moves.has(file)))
        return `\`${posix.join(spanFolder, "test", name)}\``;
      return all;
    }
    const direct = posix.normalize(under(span));
    let moved: string | undefined;
    if (files.includes(direct)) moved = moves.get(direct);
    else if (!span.includes("/")) {
      // A subfolder's file table names its files by their own name.
      const candidates = files.filter((file) => file.startsWith(under("")) && posix.basename(file) === name);
      if (candidates.length > 0 && candidates.every((file) => moves.has(file)))
        moved = moves.get(candidates[0] as string);
      else if (candidates.some((file) => moves.has(file))) {
        console.warn(`  ${readme}: \`${span}\` may name a moved file; left as it is`);
      }
    }
    if (moved === undefined) return all;
    const from = [...moves].find(([, to]) => to === moved)?.[0] as string;
    // A file of a renamed folder keeps its name in that folder's table (the folder's own name is above).
    if (!span.includes("/") && FOLDER_RENAMES.some(([folderFrom]) => from.startsWith(`${folderFrom}/`))) return all;
    // Keep the span's own form: what was added to the path is what is added to the span.
    const added = posix.relative(posix.dirname(from), posix.dirname(moved));
    return `\`${posix.join(spanFolder, added, posix.basename(moved))}\``;
  };
  const spans = /`([^`\s]+)`/g;
  return text
    .split("\n")
    .map((line) => {
      if (!line.startsWith("|")) return line.replace(spans, rewriteSpan);
      // A table row: a cell that grew gives back its padding, so that the columns stay aligned where they can.
      return line
        .split("|")
        .map((cell) => {
          const out = cell.replace(spans, rewriteSpan);
          const grown = out.length - cell.length;
          const padding = /( *)$/.exec(out)?.[1]?.length ?? 0;
          return grown > 0 ? out.slice(0, out.length - Math.min(grown, Math.max(0, padding - 1))) : out;
        })
        .join("|");
    })
    .join("\n");
}

function git(args: string[]): boolean {
  try {
    execFileSync("git", args, { cwd: ROOT, stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

function main(): void {
  const files = repositoryFiles();
  const moves = plannedMoves(files);
  if (moves.size === 0) {
    console.log("Every test already follows the layout; nothing to do.");
    return;
  }
  console.log(`${moves.size} files move:`);
  for (const [from, to] of moves) console.log(`  ${from} -> ${to}`);

  const changed: string[] = [];
  for (const file of files.filter((path) => TEXT.test(path) && path !== SELF)) {
    const text = readFileSync(join(ROOT, file), "utf8");
    let out = CODE.test(file) ? rewriteCode(file, text, moves) : text;
    out = rewriteRootPaths(out, moves);
    if (posix.basename(file) === "README.md") out = rewriteReadme(file, out, files, moves);
    if (out === text) continue;
    changed.push(file);
    if (!DRY_RUN) writeFileSync(join(ROOT, file), out);
  }
  console.log(`${changed.length} files rewritten:`);
  for (const file of changed) console.log(`  ${file}`);
  if (DRY_RUN) return;

  const inGit = git(["rev-parse", "--is-inside-work-tree"]);
  for (const [from, to] of moves) {
    mkdirSync(dirname(join(ROOT, to)), { recursive: true });
    const tracked = inGit && git(["ls-files", "--error-unmatch", from]);
    if (!(tracked && git(["mv", from, to]))) renameSync(join(ROOT, from), join(ROOT, to));
  }
  for (const [from] of FOLDER_RENAMES) {
    const path = join(ROOT, from);
    if (existsSync(path) && readdirSync(path).length === 0) rmdirSync(path);
  }
  // Imports sorted again and long lines wrapped, as the paths changed length.
  const written = [...new Set([...changed.map((file) => movedPath(file, moves)), ...moves.values()])];
  const biome = join(ROOT, "node_modules", ".bin", "biome");
  if (existsSync(biome)) {
    try {
      execFileSync(biome, ["check", "--write", "--no-errors-on-unmatched", ...written], { cwd: ROOT, stdio: "pipe" });
    } catch {
      console.warn("biome check --write left something to fix: run `npx biome check .`");
    }
  }
  // Prose the rewrite cannot judge: sentences that place tests beside the code.
  for (const readme of files.filter((file) => posix.basename(file) === "README.md")) {
    const path = join(ROOT, movedPath(readme, moves));
    readFileSync(path, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (/tests? (sit|live|are) beside|beside the (code|store)/i.test(line))
          console.log(`  to reread: ${readme}:${i + 1}: ${line.trim()}`);
      });
  }
  console.log("Done. Now: npx tsc -p . && npx biome check . && npx vitest run; then delete scripts/dev/.");
}

main();
