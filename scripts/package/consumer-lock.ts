/**
 * A lock file for a consumer project that installs the packed kit, made from this repository's own lock
 * file, so that `npm ci --offline` installs it from npm's cache alone.
 *
 * Why: `npm install ./kit.tgz --offline` resolves the kit's version ranges, which needs each dependency's
 * registry document (packument), and `npm ci` here caches only the tarballs its lock file names. A lock file
 * that names the same tarballs (the versions this repository was tested with) needs nothing else.
 *
 * The consumer's tree is the closure of its direct dependencies over this repository's `node_modules`
 * layout, resolved as Node resolves (the nearest `node_modules/NAME` up from the dependent), so every path
 * keeps the entry it has here.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  license?: string;
  optional?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  link?: boolean;
}

interface Lock {
  name: string;
  lockfileVersion: number;
  requires: boolean;
  packages: Record<string, LockEntry>;
}

interface KitManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  license?: string;
}

/** Where `name` resolves from the package at `from` (a lock path, "" for the root), in the repo's layout. */
function resolveIn(packages: Lock["packages"], from: string, name: string): string | undefined {
  let at = from;
  for (;;) {
    const candidate = `${at ? `${at}/` : ""}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!at) return undefined;
    const cut = at.lastIndexOf("/node_modules/");
    at = cut === -1 ? "" : at.slice(0, cut);
  }
}

/**
 * The consumer's package.json dependencies and lock file: the kit from `tarball` (a path in the consumer's
 * folder), and `extra` packages by name at the versions this repository's lock holds.
 */
export async function consumerLock(options: {
  repoLockPath: string;
  kit: KitManifest;
  tarballPath: string;
  extra: string[];
}): Promise<{ dependencies: Record<string, string>; lock: Lock }> {
  const repo = JSON.parse(await readFile(options.repoLockPath, "utf8")) as Lock;
  const { kit } = options;
  const file = `file:${basename(options.tarballPath)}`;
  const integrity = `sha512-${createHash("sha512")
    .update(await readFile(options.tarballPath))
    .digest("base64")}`;

  const dependencies: Record<string, string> = { [kit.name]: file };
  for (const name of options.extra) {
    const entry = repo.packages[`node_modules/${name}`];
    if (!entry?.version) throw new Error(`${name} is not in this repository's lock file`);
    dependencies[name] = entry.version;
  }

  const packages: Lock["packages"] = {
    "": { dependencies },
    [`node_modules/${kit.name}`]: {
      version: kit.version,
      resolved: file,
      integrity,
      ...(kit.license ? { license: kit.license } : {}),
      ...(kit.dependencies ? { dependencies: kit.dependencies } : {}),
      ...(kit.bin ? { bin: kit.bin } : {}),
      ...(kit.engines ? { engines: kit.engines } : {}),
      ...(kit.peerDependencies ? { peerDependencies: kit.peerDependencies } : {}),
      ...(kit.peerDependenciesMeta ? { peerDependenciesMeta: kit.peerDependenciesMeta } : {}),
    },
  };
  // The kit's dependencies resolve from the top, as they would from node_modules/<kit> with nothing nested.
  const queue: Array<{ from: string; name: string; optional: boolean }> = [
    ...Object.keys(kit.dependencies ?? {}).map((name) => ({ from: "", name, optional: false })),
    ...options.extra.map((name) => ({ from: "", name, optional: false })),
  ];
  while (queue.length > 0) {
    const { from, name, optional } = queue.shift() as (typeof queue)[number];
    const path = resolveIn(repo.packages, from, name);
    if (!path) {
      if (optional) continue; // an optional dependency this platform never installed
      throw new Error(`${name} (needed from ${from || "the root"}) is not in this repository's lock file`);
    }
    if (packages[path]) continue;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = repo.packages[path] as LockEntry;
    packages[path] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) queue.push({ from: path, name: dep, optional: false });
    for (const dep of Object.keys(entry.optionalDependencies ?? {}))
      queue.push({ from: path, name: dep, optional: true });
    for (const dep of Object.keys(entry.peerDependencies ?? {}))
      if (!entry.peerDependenciesMeta?.[dep]?.optional) queue.push({ from: path, name: dep, optional: false });
  }
  return { dependencies, lock: { name: "consumer", lockfileVersion: 3, requires: true, packages } };
}
