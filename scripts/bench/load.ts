/**
 * What a load generator is asked (a scenario, connections, a time) and what one run of it gives back, for
 * either generator: wrk (a C program, `wrk.ts`), used when it is on the PATH, else autocannon (in this
 * Node process, `autocannon.ts`); the types they share are in `load-types.ts`. Rounds of the same scenario
 * are summarised here, the same way for both.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { LoadGenerator, Run } from "./load-types.ts";

export interface LoadResult {
  requests: number;
  /** The median of the rounds' rates. */
  reqPerS: number;
  roundsReqPerS: number[];
  /** The medians of the rounds' percentiles, and the largest latency of any round. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  roundsP99Ms: number[];
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** Rounds of the same scenario against the same server, as one result: medians of the rounds. */
export function summarise(runs: Run[]): LoadResult {
  const rates = runs.map((r) => r.requests / r.durationS);
  const sum = (pick: (r: Run) => number) => runs.reduce((total, r) => total + pick(r), 0);
  return {
    requests: sum((r) => r.requests),
    reqPerS: median(rates),
    roundsReqPerS: rates.map((r) => Math.round(r)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    maxMs: runs.length > 0 ? Math.max(...runs.map((r) => r.maxMs)) : Number.NaN,
    roundsP99Ms: runs.map((r) => r.p99Ms),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Where an executable is on the PATH, or undefined. */
export function onPath(command: string): string | undefined {
  for (const folder of (process.env.PATH ?? "").split(delimiter)) {
    if (folder === "") continue;
    const file = join(folder, command);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * The load generator to use: the one asked for, else wrk when it is on the PATH (it runs beside the
 * server in C, on one core, instead of sharing a Node event loop's costs), else autocannon.
 * `core`: the core wrk is pinned to (`taskset -c`); autocannon runs in this process, pinned by the caller.
 */
export async function loadGenerator(
  wanted: "wrk" | "autocannon" | undefined,
  core: number | undefined,
): Promise<LoadGenerator> {
  const wrkFile = onPath("wrk");
  if (wanted === "wrk" && wrkFile === undefined) throw new Error("--generator wrk: wrk is not on the PATH");
  if (wanted !== "autocannon" && wrkFile !== undefined) {
    const { wrk } = await import("./wrk.ts");
    return wrk(wrkFile, core);
  }
  const { autocannonGenerator } = await import("./autocannon.ts");
  return autocannonGenerator();
}
