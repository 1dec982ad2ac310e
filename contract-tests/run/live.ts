/**
 * `npm run contract:live`: the contract suites against the live ConverseIQ API, read-only unless
 * CONTRACT_ALLOW_WRITES=1, bodies judged tolerantly (undocumented properties reported, not failed),
 * and the drift report written to reports/live-drift.md and .json.
 *
 * Needs CONVERSEIQ_API_KEY. CONTRACT_BASE_URL overrides the URL (default: the spec's first server).
 * Arguments are the test files to run (default: every suite in contract-tests/suites).
 */
import { spawn } from "node:child_process";
import { DEFAULT_BASE_URL } from "../../client/index.ts";

const key = process.env.CONVERSEIQ_API_KEY?.trim();
if (!key) {
  console.error(
    "contract:live needs the API key of a ConverseIQ workspace in CONVERSEIQ_API_KEY " +
      "(Settings → API settings → Add new API key). Nothing was run.",
  );
  process.exit(2);
}

const env = {
  ...process.env,
  CONTRACT_BASE_URL: process.env.CONTRACT_BASE_URL || DEFAULT_BASE_URL,
  CONTRACT_API_KEY: key,
  CONTRACT_MODE: process.env.CONTRACT_MODE || "tolerant",
  CONTRACT_DRIFT_REPORT: process.env.CONTRACT_DRIFT_REPORT || "reports/live-drift",
};
console.log(
  `Contract suites against ${env.CONTRACT_BASE_URL} (${env.CONTRACT_MODE}); drift report: ${env.CONTRACT_DRIFT_REPORT}.{md,json}`,
);
const files = process.argv.length > 2 ? process.argv.slice(2) : ["contract-tests/suites"];
const child = spawn("node_modules/.bin/vitest", ["run", ...files], {
  env,
  stdio: "inherit",
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
