/**
 * What a load generator is asked (a scenario, connections, a time) and what one run of it gives back, the
 * same for wrk (`wrk.ts`), autocannon (`autocannon.ts`) and the in-process fetch (`in-process.ts`). A module
 * of its own, importing nothing, so that `load.ts` can load the generators and they can read these types
 * without an import cycle.
 */

/**
 * What one scenario sends: a method, the paths (with query, after the server's base path) the requests go
 * through in turn, and for a write its JSON body, in which every `{n}` becomes text unique to the request
 * (across every run of the process), so that each email is new.
 */
export interface Scenario {
  name: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  paths: string[];
  body?: string;
}

export interface RunOptions {
  connections: number;
  /** How long to run, in seconds (wrk takes whole seconds only); ignored by autocannon when `amount` is given. */
  durationS: number;
  /** A smoke run's requests: autocannon stops after this many; wrk paces its connections to send about as many in `durationS`. */
  amount?: number;
  headers: Record<string, string>;
}

export interface Run {
  requests: number;
  durationS: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors (connect, read, write). */
  errors: number;
  timeouts: number;
  /** Answers that were no 2xx (wrk counts the statuses of 400 and above: it tells no 1xx or 3xx apart). */
  non2xx: number;
}

export interface LoadGenerator {
  name: "wrk" | "autocannon";
  version: string;
  /** One run of a scenario against `base` (origin and base path). */
  run(base: string, scenario: Scenario, options: RunOptions): Promise<Run>;
}

/** The value at quantile `q` (0 to 1) of sorted latencies; NaN for none. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
