/**
 * `npm run contract:live`: the contract suites against the live ConverseIQ API, read-only unless
 * CONTRACT_ALLOW_WRITES=1, bodies judged tolerantly (undocumented properties reported, not failed),
 * and the drift report written to reports/live-drift.md and .json. It is `runContract` (runner.ts), as
 * `converseiq-contract` is, with its settings from the environment.
 *
 * Needs CONVERSEIQ_API_KEY. CONVERSEIQ_BASE_URL overrides the URL (default: the spec's first server): the
 * names every command of the kit reads.
 * Arguments are the suites to run, by name or file (default: every suite in contract-tests/suites).
 */
import { basename } from "node:path";
import { DEFAULT_BASE_URL } from "../../client/index.ts";
import { formatLeftovers } from "../support/leftovers.ts";
import { ContractSetupError, runContract, type SuiteName } from "./runner.ts";

const key = process.env.CONVERSEIQ_API_KEY?.trim();
if (!key) {
  console.error(
    "contract:live needs the API key of a ConverseIQ workspace in CONVERSEIQ_API_KEY " +
      "(Settings → API settings → Add new API key). Nothing was run.",
  );
  process.exit(2);
}

const env = process.env;
const flag = (value: string | undefined) => value === "1" || value === "true";
const number = (value: string | undefined) => (value ? Number(value) : undefined);
const baseUrl = env.CONVERSEIQ_BASE_URL?.trim() || DEFAULT_BASE_URL;
if (!URL.canParse(baseUrl)) {
  console.error(`contract:live: CONVERSEIQ_BASE_URL is not a URL: ${baseUrl}. Nothing was run.`);
  process.exit(2);
}
const mode = (env.CONTRACT_MODE || "tolerant") as "strict" | "tolerant";
const driftReport = env.CONTRACT_DRIFT_REPORT || "reports/live-drift";
const args = process.argv.slice(2);
console.log(`Contract suites against ${baseUrl} (${mode}); drift report: ${driftReport}.{md,json}`);
try {
  const result = await runContract({
    baseUrl,
    apiKey: key,
    allowWrites: flag(env.CONTRACT_ALLOW_WRITES),
    mode,
    driftReport,
    fuzzRuns: number(env.CONTRACT_FUZZ_RUNS),
    modelRuns: number(env.CONTRACT_MODEL_RUNS),
    seed: number(env.CONTRACT_FUZZ_SEED),
    adminUrl: env.CONTRACT_ADMIN_URL || undefined,
    suites: args.length > 0 ? args.map((arg) => basename(arg).replace(/\.test\.[jt]s$/, "") as SuiteName) : undefined,
  });
  if (result.problem) console.error(`contract:live: ${result.problem.message}`);
  if (result.leftovers.length > 0) console.log(`\n${formatLeftovers(result.leftovers)}`);
  process.exit(result.exitCode);
} catch (error) {
  if (!(error instanceof ContractSetupError)) throw error;
  console.error(`contract:live: ${error.message}`);
  process.exit(2);
}
