/**
 * `converseiq-contract`: the contract suites against a target, from the command line (a thin layer over
 * `runContract`, runner.ts). Exit 0 when every check holds, 1 when one fails, 2 on bad usage (with the
 * usage) or when the run cannot start (vitest missing).
 */
import { parseArgs } from "node:util";
import { REPORTERS, type ReporterName } from "./report/write.ts";
import { type ContractOptions, ContractSetupError, runContract, SUITES, type SuiteName } from "./runner.ts";

export const USAGE = `Usage: converseiq-contract --base-url URL --api-key KEY [options]

Runs the ConverseIQ contract suites against URL: every answer is checked against the spec.

  --base-url URL        the API's base URL (…/public/v1)
  --api-key KEY         its API key (or set CONTRACT_API_KEY)
  --allow-writes        also send POST, PUT and DELETE to a non-local target (off: those tests are
                        skipped; local targets always allow them)
  --junit FILE          also write a JUnit XML report (one test case per check)
  --json FILE           also write the checks and the distinct failures as JSON, for tools
  --reporter NAME       default, or github: also GitHub Actions error annotations, and a Markdown
                        job summary appended to $GITHUB_STEP_SUMMARY when it is set
  --drift-report PATH   where the drift report goes, PATH.md and PATH.json (default reports/contract-drift)
  --mode MODE           strict or tolerant (default: strict for local targets, tolerant otherwise)
  --fuzz-runs N         runs per fuzzing property (default 100)
  --model-runs N        sequences of the model-based suite (default 30)
  --seed S              the seed of the fuzzing and the sequences (printed by every run; replays one)
  --suite NAME          run only this suite (repeatable): ${SUITES.join(", ")}
  -h, --help            this text

Exit code: 0 every check held, 1 a check failed, 2 bad usage.`;

/** A command line that makes no run: its message is printed with the usage, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The options of a command line, or a `UsageError`; `help` when the usage was asked for. */
export function parseContractArgs(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { help: true } | { help: false; options: ContractOptions } {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(args).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { help: true };
  const baseUrl = values["base-url"];
  if (!baseUrl) throw new UsageError("--base-url is required");
  const apiKey = values["api-key"] ?? (env.CONTRACT_API_KEY || undefined);
  if (!apiKey) throw new UsageError("--api-key is required (or CONTRACT_API_KEY)");
  const mode = values.mode;
  if (mode !== undefined && mode !== "strict" && mode !== "tolerant")
    throw new UsageError(`--mode must be strict or tolerant; got ${mode}`);
  const reporter = values.reporter;
  if (reporter !== undefined && !(REPORTERS as readonly string[]).includes(reporter))
    throw new UsageError(`--reporter must be ${REPORTERS.join(" or ")}; got ${reporter}`);
  const suites = values.suite;
  const unknown = suites?.filter((name) => !(SUITES as readonly string[]).includes(name));
  if (unknown?.length) throw new UsageError(`unknown suite ${unknown.join(", ")}; the suites are ${SUITES.join(", ")}`);
  return {
    help: false,
    options: {
      baseUrl,
      apiKey,
      allowWrites: values["allow-writes"] ?? false,
      mode,
      driftReport: values["drift-report"] ?? "reports/contract-drift",
      junit: values.junit,
      json: values.json,
      reporter: reporter as ReporterName | undefined,
      fuzzRuns: count("--fuzz-runs", values["fuzz-runs"]),
      modelRuns: count("--model-runs", values["model-runs"]),
      seed: count("--seed", values.seed),
      suites: suites as SuiteName[] | undefined,
    },
  };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      "base-url": { type: "string" },
      "api-key": { type: "string" },
      "allow-writes": { type: "boolean" },
      junit: { type: "string" },
      json: { type: "string" },
      reporter: { type: "string" },
      "drift-report": { type: "string" },
      mode: { type: "string" },
      "fuzz-runs": { type: "string" },
      "model-runs": { type: "string" },
      seed: { type: "string" },
      suite: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
}

function count(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number; got ${value}`);
  return Number(value);
}

/** Runs the command line; resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseContractArgs>;
  try {
    parsed = parseContractArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`converseiq-contract: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const result = await runContract(parsed.options);
    const { passed, failed, skipped } = result.tests;
    console.log(
      `\nconverseiq-contract: ${result.ok ? "every check held" : "FAILED"} against ${parsed.options.baseUrl}` +
        ` (tests: ${passed} passed, ${failed} failed, ${skipped} skipped${result.errors ? `; ${result.errors} errors` : ""})`,
    );
    if (result.junit) console.log(`JUnit report: ${result.junit}`);
    if (result.json) console.log(`JSON report: ${result.json}`);
    return result.exitCode;
  } catch (error) {
    if (!(error instanceof ContractSetupError)) throw error;
    console.error(`converseiq-contract: ${error.message}`);
    return 2;
  }
}
