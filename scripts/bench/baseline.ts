/**
 * The baseline: the mock as an earlier commit built it, run beside today's in the same rounds, so that
 * "no slower than before" is measured on the same machine in the same minutes, not against figures from
 * another day. The commit is checked out into a temporary git worktree, which borrows this repository's
 * `node_modules` (a symbolic link: nothing is installed), is built with its own `scripts/build.ts`, and
 * is removed again at the end, also on failure or Ctrl-C.
 *
 * The default commit is the last one whose HTTP transport was a hand-written `node:http` server: the parent
 * of the commit that removed `mock-server/transports/http-server.ts` when the transport moved to Fastify 5,
 * so that a run shows the Fastify server beside the one it replaced.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./servers.ts";

/** The `node:http` server's file; the default baseline is the parent of the commit that removed it. */
export const NODE_HTTP_SERVER = "mock-server/transports/http-server.ts";

/** A baseline ready to start: its commit, the bundle built from it, and how to remove its worktree. */
export interface Baseline {
  /** The short commit, as the server is named (`mock@ac1ecd4`). */
  commit: string;
  /** What was asked for (`--baseline REF`), or how the default was found. */
  asked: string;
  bundle: string;
  /** Removes the worktree (safe to call more than once). */
  remove(): void;
}

/** A baseline that could not be run, and why: the benchmark goes on without it and says so. */
export interface SkippedBaseline {
  asked: string;
  commit: string | null;
  skipped: string;
}

const git = (args: string[], cwd = ROOT) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

/** The parent of the (latest) commit that removed the `node:http` server; undefined when history has none. */
export function defaultBaselineRef(): string | undefined {
  const removed = git(["log", "--diff-filter=D", "--format=%H", "--", NODE_HTTP_SERVER]).split("\n").filter(Boolean);
  const latest = removed[0];
  return latest === undefined ? undefined : `${latest}^`;
}

/**
 * Checks `ref` out into a temporary worktree and builds its mock. A reference that names no commit is an
 * error (a mistyped `--baseline`); a baseline this `node_modules` cannot build or run (a runtime dependency
 * missing, or at another major version) is skipped, with the reason, since installing anything for it is
 * not the benchmark's business.
 */
export async function prepareBaseline(
  ref: string | undefined,
  log: (line: string) => void,
): Promise<Baseline | SkippedBaseline> {
  const wanted = ref ?? defaultBaselineRef();
  const asked = ref ?? `default: the parent of the commit that removed ${NODE_HTTP_SERVER}`;
  if (wanted === undefined)
    return { asked, commit: null, skipped: `no commit in this history removes ${NODE_HTTP_SERVER}` };
  let full: string;
  try {
    full = git(["rev-parse", "--verify", "--quiet", `${wanted}^{commit}`]);
  } catch {
    throw new Error(`--baseline ${wanted}: no such commit`);
  }
  const commit = full.slice(0, 7);
  const missing = missingDependencies(JSON.parse(git(["show", `${full}:package.json`])) as PackageJson);
  if (missing.length > 0) {
    return {
      asked,
      commit,
      skipped: `this node_modules cannot run it: ${missing.join("; ")} (nothing is installed for it)`,
    };
  }
  const folder = mkdtempSync(join(tmpdir(), `converseiq-baseline-${commit}-`));
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off("exit", remove);
    // The link first, so that nothing removing the folder can reach into the repository's node_modules.
    try {
      unlinkSync(join(folder, "node_modules"));
    } catch {
      // Not made yet.
    }
    try {
      git(["worktree", "remove", "--force", folder]);
    } catch {
      // Not added yet, or already gone: the folder goes below and prune forgets the entry.
    }
    rmSync(folder, { recursive: true, force: true });
    try {
      git(["worktree", "prune"]);
    } catch {
      // Nothing to prune.
    }
  };
  // Ctrl-C ends the benchmark through process.exit (processes.ts): the worktree still goes.
  process.on("exit", remove);
  try {
    git(["worktree", "add", "--detach", folder, full]);
    symlinkSync(join(ROOT, "node_modules"), join(folder, "node_modules"), "dir");
    const started = performance.now();
    await promisify(execFile)(join(ROOT, "node_modules/.bin/tsx"), ["scripts/build.ts", "--quiet"], {
      cwd: folder,
      timeout: 180_000,
    });
    const bundle = join(folder, "dist/mock-server/cli.js");
    if (!existsSync(bundle)) throw new Error(`${commit}'s build made no dist/mock-server/cli.js`);
    log(`built the baseline mock@${commit} in ${Math.round(performance.now() - started)} ms (worktree ${folder})`);
    return { commit, asked, bundle, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

export interface PackageJson {
  dependencies?: Record<string, string>;
}

/**
 * The baseline's runtime dependencies (what its build and its mock use) that this `node_modules` lacks or
 * holds at another major version (`^1.2` and `~1.2` want 1; `^0.17` wants 0.17): a rough check, enough to
 * tell a removed or replaced package from a patch release.
 */
export function missingDependencies(pkg: PackageJson, nodeModules = join(ROOT, "node_modules")): string[] {
  const missing: string[] = [];
  for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
    let installed: string;
    try {
      installed = (JSON.parse(readFileSync(join(nodeModules, name, "package.json"), "utf8")) as { version: string })
        .version;
    } catch {
      missing.push(`${name} ${range} is not installed`);
      continue;
    }
    const want = /(\d+)\.?(\d+)?/.exec(range);
    const have = /^(\d+)\.(\d+)/.exec(installed);
    if (!want || !have) continue;
    const sameLine = want[1] === have[1] && (want[1] !== "0" || want[2] === undefined || want[2] === have[2]);
    if (!sameLine) missing.push(`${name} ${range} is installed at ${installed}`);
  }
  return missing;
}

export function isSkipped(baseline: Baseline | SkippedBaseline): baseline is SkippedBaseline {
  return "skipped" in baseline;
}
