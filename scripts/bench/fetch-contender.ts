/**
 * Starts the in-process contender (in-process.ts: the fetch adapter, no socket) for the side-by-side
 * benchmark: bundles it with esbuild as the mock's CLI is bundled (so both run the same kind of code in
 * plain `node`), starts it pinned to the servers' core when pinning is used, and runs rounds in it through
 * its line protocol (in-process-protocol.ts). The process is stopped at the end, and killed if the
 * benchmark exits first.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { build } from "esbuild";
import { READY, RESULT, type RoundCommand, type RoundResult } from "./in-process-protocol.ts";
import type { Run, RunOptions, Scenario } from "./load-types.ts";
import { ROOT } from "./servers.ts";

export const FETCH_CONTENDER = "fetch in-process";

export interface FetchContender {
  name: string;
  /** Milliseconds from starting the process to a seeded mock, and the seeding alone. */
  startupMs: number;
  seededMs: number;
  run(scenario: Scenario, options: RunOptions): Promise<Run>;
  /** Resident memory after the last round, in bytes. */
  rss(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Bundles in-process.ts and starts it (through `taskset -c core` when a core is given). The bundle goes
 * under `dist/bench/`, inside the repository, because a dependency may resolve files from its own place at
 * run time (`require.resolve`), which finds this `node_modules` only from there; named after this process,
 * so that two benchmarks at once do not overwrite each other's, and removed when it stops.
 */
export async function startFetchContender(core: number | null): Promise<FetchContender> {
  const outfile = join(ROOT, "dist", "bench", `in-process-${process.pid}.js`);
  await build({
    absWorkingDir: ROOT,
    entryPoints: ["scripts/bench/in-process.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    legalComments: "none",
    // As scripts/build.ts: CommonJS dependencies call require(); an ES module has none unless it makes one.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
    },
  });
  const [command, args] =
    core === null ? [process.execPath, [outfile]] : ["taskset", ["-c", String(core), process.execPath, outfile]];
  const started = performance.now();
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
  const kill = () => {
    child.kill("SIGKILL");
    rmSync(outfile, { force: true });
  };
  process.on("exit", kill);
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const waiting: { resolve: (result: RoundResult) => void; reject: (error: Error) => void }[] = [];
  let ready: (seededMs: number) => void = () => {};
  let failed: (error: Error) => void = () => {};
  const seeded = new Promise<number>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line.startsWith(READY)) ready((JSON.parse(line.slice(READY.length)) as { seededMs: number }).seededMs);
    else if (line.startsWith(RESULT)) waiting.shift()?.resolve(JSON.parse(line.slice(RESULT.length)) as RoundResult);
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      process.off("exit", kill);
      rmSync(outfile, { force: true });
      const error = new Error(`${FETCH_CONTENDER} exited (${code ?? signal}):\n${stderr}`);
      failed(error);
      for (const round of waiting.splice(0)) round.reject(error);
      resolve();
    });
  });
  let rssBytes: number | undefined;
  const seededMs = await seeded;
  return {
    name: FETCH_CONTENDER,
    startupMs: performance.now() - started,
    seededMs,
    run: (scenario, options) =>
      new Promise<RoundResult>((resolve, reject) => {
        waiting.push({ resolve, reject });
        const command: RoundCommand = { scenario, options };
        child.stdin.write(`${JSON.stringify(command)}\n`);
      }).then(({ rssBytes: rss, ...run }) => {
        rssBytes = rss;
        return run;
      }),
    rss: () => rssBytes,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Its stdin ending ends it; a kill after 3 s if it does not.
      child.stdin.end();
      const killed = setTimeout(kill, 3000);
      await exited;
      clearTimeout(killed);
    },
  };
}
