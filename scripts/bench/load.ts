/**
 * Load with autocannon (as a library): a number of connections for a fixed time (or a fixed number of
 * requests, for a smoke run). Latencies are taken from every response (autocannon's own histogram keeps
 * whole milliseconds only), so p50 and p99 keep their fractions.
 */
import autocannon from "autocannon";

/**
 * What one scenario sends: a method, the paths (with query, after the server's base path) each connection
 * goes through in turn, and for a write the JSON body of the n-th request. Requests without a body are
 * built once, so that the load generator spends its time sending, not building.
 */
export interface Scenario {
  name: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  paths: string[];
  body?: (n: number) => unknown;
}

export interface RunOptions {
  connections: number;
  /** How long to run; ignored when `amount` is given. */
  durationS: number;
  /** Stop after this many requests instead (smoke runs). */
  amount?: number;
  headers: Record<string, string>;
}

export interface Run {
  requests: number;
  durationS: number;
  latencies: number[];
  errors: number;
  timeouts: number;
  non2xx: number;
  status5xx: number;
}

export interface LoadResult {
  requests: number;
  /** The median of the rounds' rates. */
  reqPerS: number;
  roundsReqPerS: number[];
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  status5xx: number;
}

/** Rounds of the same scenario against the same server, as one result: rates by median, latencies pooled. */
export function summarise(runs: Run[]): LoadResult {
  const rates = runs.map((r) => r.requests / r.durationS);
  const sorted = Float64Array.from(runs.flatMap((r) => r.latencies)).sort();
  const sum = (pick: (r: Run) => number) => runs.reduce((total, r) => total + pick(r), 0);
  return {
    requests: sum((r) => r.requests),
    reqPerS: median(rates),
    roundsReqPerS: rates.map((r) => Math.round(r)),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] ?? 0) : Number.NaN,
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    status5xx: sum((r) => r.status5xx),
  };
}

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Numbers the bodies of writes across every run of the process, so that each email is new. */
let counter = 0;

/** One run of a scenario against `base` (origin and base path). */
export function run(base: string, scenario: Scenario, options: RunOptions, keepLatencies = true): Promise<Run> {
  const basePath = new URL(base).pathname.replace(/\/$/, "");
  const headers: Record<string, string> = { ...options.headers };
  const { body } = scenario;
  let requests: autocannon.Request[];
  if (body) {
    headers["content-type"] = "application/json";
    requests = [
      {
        method: scenario.method,
        path: `${basePath}${scenario.paths[0] ?? "/"}`,
        setupRequest: (request) => ({ ...request, body: JSON.stringify(body(counter++)) }),
      },
    ];
  } else {
    requests = scenario.paths.map((path) => ({ method: scenario.method, path: `${basePath}${path}` }));
  }
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: options.connections,
        // The run's end is noticed at a sample tick: every 100 ms instead of every second.
        sampleInt: 100,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationS }),
        headers,
        requests,
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          durationS: result.duration,
          latencies,
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          status5xx: result["5xx"],
        });
      },
    );
    if (keepLatencies) {
      // The listener's arguments: (client, statusCode, resBytes, responseTime in ms).
      instance.on("response", (...args: unknown[]) => {
        latencies.push(args[3] as number);
      });
    }
  });
}
