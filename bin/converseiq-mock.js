#!/usr/bin/env node
// The `converseiq-mock` command: the mock server's CLI (mock-server/cli.ts), in this process (so signals
// reach it directly). It runs the bundle `npm run build` makes (dist/mock-server/cli.js: starts in a
// fraction of the time) when the bundle is there and no source file it was made of is newer; otherwise
// the TypeScript source through tsx's loader, so an edit is never served stale.
import { readFileSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);
const bundle = new URL("dist/mock-server/cli.js", root);

function bundleIsCurrent() {
  try {
    const built = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(new URL("dist/mock-server/inputs.json", root), "utf8"));
    return inputs.every((path) => statSync(new URL(path, root)).mtimeMs <= built);
  } catch {
    return false; // no bundle, or a source file gone: run the source
  }
}

if (bundleIsCurrent()) {
  await import(bundle.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../mock-server/cli.ts");
}
