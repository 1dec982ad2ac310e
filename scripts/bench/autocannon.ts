/**
 * The load generator when wrk is missing: autocannon, as a library, in this Node process. Latencies are
 * taken from every response (autocannon's own histogram keeps whole milliseconds only), so p50 and p99 keep
 * their fractions.
 */
import autocannon from "autocannon";
import { type LoadGenerator, percentile, type Run, type RunOptions, type Scenario } from "./load-types.ts";
import { packageVersion } from "./report.ts";

/** Numbers the bodies of writes across every run of the process, so that each `{n}` is new. */
let counter = 0;
const tag = Date.now().toString(36);

export function autocannonGenerator(): LoadGenerator {
  return { name: "autocannon", version: packageVersion("autocannon"), run };
}

function run(base: string, scenario: Scenario, options: RunOptions): Promise<Run> {
  const basePath = new URL(base).pathname.replace(/\/$/, "");
  const headers: Record<string, string> = { ...options.headers };
  const { body } = scenario;
  let requests: autocannon.Request[];
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    requests = [
      {
        method: scenario.method,
        path: `${basePath}${scenario.paths[0] ?? "/"}`,
        setupRequest: (request) => ({ ...request, body: body.replaceAll("{n}", `${tag}a${counter++}`) }),
      },
    ];
  } else {
    // Requests without a body are built once, so that the generator spends its time sending, not building.
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
        const sorted = Float64Array.from(latencies).sort();
        resolve({
          requests: result.requests.total,
          durationS: result.duration,
          p50Ms: percentile(sorted, 0.5),
          p99Ms: percentile(sorted, 0.99),
          maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] ?? 0) : Number.NaN,
          errors: result.errors - result.timeouts,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
        });
      },
    );
    // The listener's arguments: (client, statusCode, resBytes, responseTime in ms).
    instance.on("response", (...args: unknown[]) => {
      latencies.push(args[3] as number);
    });
  });
}
