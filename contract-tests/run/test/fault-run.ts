/**
 * One run of every suite against the in-process mock with one fault of `../faults.ts` (its name the first
 * argument), small fuzzing and model runs, its JSON report written to the second argument. A script, run
 * in a child process by `faults.test.ts`: vitest's Node API runs the suites in a process of its own.
 */
import { runContract } from "../runner.ts";

const [fault, json] = process.argv.slice(2);
if (!fault || !json) throw new Error("usage: fault-run.ts FAULT JSON-FILE");
const result = await runContract({ env: { CONTRACT_FAULT: fault }, fuzzRuns: 5, modelRuns: 2, seed: 1, json });
process.exitCode = result.exitCode;
setTimeout(() => process.exit(result.exitCode), 2_000).unref();
