/**
 * Latency of single requests, one at a time on one kept-alive connection: what one request costs the
 * server when nothing else is queued (the scale run compares these between data sizes). Times are taken
 * around each request with `performance.now()`, so they keep their fractions of a millisecond.
 */
import { Agent, request } from "node:http";
import { percentile } from "./load-types.ts";

export interface Latency {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  non2xx: number;
  errors: number;
}

/** Sends `count` GETs (cycling through `paths`) after `warmup` uncounted ones. */
export async function sequentialLatency(
  origin: string,
  paths: string[],
  options: { count: number; warmup: number; headers: Record<string, string> },
): Promise<Latency> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times = new Float64Array(options.count);
  let non2xx = 0;
  let errors = 0;
  try {
    for (let i = 0; i < options.warmup + options.count; i++) {
      const path = paths[i % paths.length] ?? "/";
      const started = performance.now();
      const status = await get(agent, `${origin}${path}`, options.headers);
      const elapsed = performance.now() - started;
      if (i < options.warmup) continue;
      times[i - options.warmup] = elapsed;
      if (status === 0) errors++;
      else if (status < 200 || status >= 300) non2xx++;
    }
  } finally {
    agent.destroy();
  }
  times.sort();
  const mean = times.reduce((sum, t) => sum + t, 0) / Math.max(1, times.length);
  return {
    requests: options.count,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    meanMs: mean,
    non2xx,
    errors,
  };
}

/** One GET, its body read to the end; resolves with the status, 0 on a connection error. */
function get(agent: Agent, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers, timeout: 10_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve(0));
    });
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}
