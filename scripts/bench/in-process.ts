/**
 * The in-process contender: the mock's fetch adapter (`createMockFetch`, no socket) measured in a process
 * of its own, started by the benchmark (fetch-contender.ts) as an esbuild bundle, as the HTTP mock is, and
 * pinned to the servers' core, so that its rate compares with the HTTP server's on that core. Here the
 * caller's work (building each request, reading each body) shares the core with the engine's; over HTTP
 * the load generator has a core of its own.
 *
 * A line protocol on stdin and stdout: once the mock is seeded it prints `in-process-ready {...}`; each
 * line read is a round (`{ scenario, options }` as a load generator is given them) and is answered with
 * `in-process-json {...}` (a `Run`, and the process's RSS). It ends when stdin does.
 *
 * Requests are sent `connections` at a time (50 in a full run): the same concurrency as the HTTP load, so
 * that a stage that waits (a body read, a timer of the scheduler) overlaps the others' work as it would on
 * the server. One at a time would measure the latency of one request instead, which the scale run does.
 */
import { createInterface } from "node:readline";
import { createMockFetch } from "../../mock-server/transports/fetch.ts";
import { READY, RESULT, type RoundCommand, type RoundResult } from "./in-process-protocol.ts";
import { percentile, type Run, type RunOptions, type Scenario } from "./load-types.ts";

/** Numbers the bodies of writes across every round, so that each `{n}` is new. */
let counter = 0;
const tag = Date.now().toString(36);

async function main(): Promise<void> {
  const started = performance.now();
  // The CLI's defaults (seed, sizes, keys): the same data the HTTP mock serves.
  const mock = createMockFetch();
  const base = mock.baseUrl.replace(/\/$/, "");
  process.stdout.write(`${READY}${JSON.stringify({ seededMs: performance.now() - started })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === "") continue;
    const { scenario, options } = JSON.parse(line) as RoundCommand;
    const result: RoundResult = {
      ...(await round(mock.fetch, base, mock.apiKey, scenario, options)),
      rssBytes: process.memoryUsage().rss,
    };
    process.stdout.write(`${RESULT}${JSON.stringify(result)}\n`);
  }
}

/** `connections` callers, each sending its next request when its last is read, until the time or the amount is up. */
async function round(
  fetch: typeof globalThis.fetch,
  base: string,
  apiKey: string,
  scenario: Scenario,
  options: RunOptions,
): Promise<Run> {
  const headers: Record<string, string> = {
    ...options.headers,
    "x-api-key": apiKey,
    ...(scenario.body !== undefined ? { "content-type": "application/json" } : {}),
  };
  const urls = scenario.paths.map((path) => `${base}${path}`);
  const latencies: number[] = [];
  let sent = 0;
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.durationS * 1000;
  const more = () => performance.now() < deadline && (options.amount === undefined || sent < options.amount);
  const caller = async () => {
    while (more()) {
      const url = urls[sent++ % urls.length] ?? base;
      const body = scenario.body?.replaceAll("{n}", `${tag}i${counter++}`);
      const t0 = performance.now();
      try {
        const response = await fetch(url, {
          method: scenario.method,
          headers,
          ...(body !== undefined ? { body } : {}),
        });
        await response.text();
        if (response.status < 200 || response.status > 299) non2xx++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, caller));
  const durationS = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    durationS,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] ?? 0) : Number.NaN,
    errors,
    timeouts: 0,
    non2xx,
  };
}

// Exits when stdin ends: the mock's timers (the scheduler's, the rate limiter's) would keep it up.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`in-process: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
