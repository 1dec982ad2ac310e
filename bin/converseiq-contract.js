#!/usr/bin/env node
// The `converseiq-contract` command: the contract suites against a target (contract-tests/run/cli.ts over
// runContract). Installed from the package it runs the compiled JavaScript (dist/contract-tests/run/cli.js)
// in plain node. In this repository, where the TypeScript source is and tsx (a dev dependency) can load it,
// it runs the source, so that an edited suite is never run stale from an older dist/.
import { existsSync } from "node:fs";

const root = new URL("../", import.meta.url);
const compiled = new URL("dist/contract-tests/run/cli.js", root);
const source = new URL("contract-tests/run/cli.ts", root);

async function load() {
  if (existsSync(source)) {
    try {
      const { register } = await import("tsx/esm/api");
      register();
      return await import(source.href);
    } catch (error) {
      if (!existsSync(compiled)) throw error;
    }
  }
  return import(compiled.href);
}

const { main } = await load();
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Whatever a suite left open must not keep the command from ending.
setTimeout(() => process.exit(code), 2_000).unref();
