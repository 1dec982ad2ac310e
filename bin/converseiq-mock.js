#!/usr/bin/env node
// The `converseiq-mock` command: the mock server's CLI (mock-server/cli.ts), in this process (so signals
// reach it directly). It runs the bundle `npm run build` makes (dist/mock-server/cli.js: plain JavaScript,
// starts in a fraction of the time). Installed from the package there is no source beside it, and the
// bundle is all it runs: no TypeScript loader at run time. In this repository, where the source is, a
// bundle older than any source file it was made of is passed over for the source through tsx's loader
// (a dev dependency), so an edit is never served stale.
import { existsSync, readFileSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);
const bundle = new URL("dist/mock-server/cli.js", root);
const source = new URL("mock-server/cli.ts", root);

function bundleIsCurrent() {
  try {
    const built = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(new URL("dist/mock-server/inputs.json", root), "utf8"));
    return inputs.every((path) => statSync(new URL(path, root)).mtimeMs <= built);
  } catch {
    return false; // no bundle, or a source file gone: run the source
  }
}

if (!existsSync(source) || bundleIsCurrent()) {
  await import(bundle.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../mock-server/cli.ts");
}
