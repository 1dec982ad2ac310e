/**
 * `npm run fuzz`: a bounded fuzz run of the mock over HTTP (scripts/fuzz/run.ts): requests made from the
 * public and admin specs, valid, broken and mangled, against the mock in this process. It must give no 5xx,
 * and every rejected request must leave the state as it was. Prints the seed and the figures; exits 1 naming
 * the first request that broke a rule (or when the time limit came before the count).
 *
 *   FUZZ_SEED=1234 FUZZ_RUNS=10000 FUZZ_TIME_LIMIT_MS=600000 npm run fuzz
 */
import { fileURLToPath } from "node:url";
import { describeFuzz, runFuzz } from "./fuzz/run.ts";

function whole(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    process.stderr.write(`fuzz: ${name} must be a whole number, got "${text}"\n`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const seed = whole("FUZZ_SEED", Date.now() % 2 ** 31);
  const runs = whole("FUZZ_RUNS", 10_000);
  const timeLimitMs = whole("FUZZ_TIME_LIMIT_MS", 600_000);
  process.stdout.write(`fuzz: seed ${seed}, ${runs} requests, at most ${timeLimitMs / 1000} s\n`);
  const result = await runFuzz({ runs, seed, timeLimitMs });
  for (const line of describeFuzz(result)) process.stdout.write(`fuzz: ${line}\n`);
  process.exit(result.failure || result.timedOut ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
