/**
 * `converseiq-contract`: the contract suites against a target, from the command line (a thin layer over
 * `runContract`, runner.ts); with `--replay`, a journal of a consumer's traffic instead (replay-command.ts).
 * Exit 0 when every check holds, 1 when one fails, 2 when the run could not be
 * made: bad usage (with the usage), vitest missing, or the preflight's one line (unreachable, not this
 * API, key refused). The base URL and key come from the flags or from `CONVERSEIQ_BASE_URL` and
 * `CONVERSEIQ_API_KEY`, the names every command of the kit reads; an error names the one the user gave.
 */
import { CommandLineError, packageVersion, readCommandLine } from "../../lib/command-line.ts";
import { formatLeftovers } from "../support/leftovers.ts";
import { couldNotRunAnnotation } from "./report/github.ts";
import { REPORTERS, type ReporterName } from "./report/write.ts";
import { type ContractOptions, ContractSetupError, runContract, SUITES, type SuiteName } from "./runner.ts";

export const USAGE = `Usage: converseiq-contract --base-url URL --api-key KEY [options]

Runs the ConverseIQ contract suites against URL: every answer is checked against the spec.

  --base-url URL        the API's base URL (…/public/v1; or set CONVERSEIQ_BASE_URL)
  --api-key KEY         its API key (or set CONVERSEIQ_API_KEY, which keeps it out of the process list)
  --admin-token TOKEN   a mock's admin token, when it runs with --admin-token (or set MOCK_ADMIN_TOKEN)
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
  -v, --version         the version

Before any suite, one request checks that the target is reachable, answers as this API and accepts the
key; if not, one line says what to fix. Against a mock (its /__admin API answers) the run works in a
workspace of its own and removes it at the end; against any other target what it creates is named
ciq-contract-<run id> and deleted, and anything it could not delete is listed.

Or replay your tests' traffic to the mock against URL (converseiq-contract --replay FILE --help):
  converseiq-contract --replay FILE --base-url URL --api-key KEY [options]

Exit code: 0 every check held (or --help, --version), 1 a check failed, 2 the run could not be made (bad usage, target
unreachable, not this API, key refused, a mock's admin token missing).`;

/** A command line that makes no run: its message is printed with the usage, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The options of a command line, or a `UsageError`; `help` when the usage was asked for (with `version`, the
 * version).
 */
export function parseContractArgs(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { help: true; version?: true } | { help: false; options: ContractOptions } {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(args).values;
  } catch (error) {
    if (error instanceof CommandLineError) throw new UsageError(error.message);
    throw error;
  }
  if (values.help) return { help: true };
  if (values.version) return { help: true, version: true };
  // Each setting from its flag, else its variable; an error names the one it came from.
  const [baseUrlSource, baseUrl] =
    values["base-url"] !== undefined
      ? ["--base-url", values["base-url"]]
      : ["CONVERSEIQ_BASE_URL", env.CONVERSEIQ_BASE_URL?.trim() || undefined];
  if (!baseUrl) throw new UsageError("--base-url is required (or CONVERSEIQ_BASE_URL)");
  if (!URL.canParse(baseUrl)) throw new UsageError(`${baseUrlSource} is not a URL: ${baseUrl}`);
  if (!/^https?:$/.test(new URL(baseUrl).protocol))
    throw new UsageError(`${baseUrlSource} must be an http or https URL: ${baseUrl}`);
  const apiKey = values["api-key"] ?? (env.CONVERSEIQ_API_KEY?.trim() || undefined);
  // The variable the mock itself reads its token from: one name for both commands.
  const adminToken = values["admin-token"] ?? (env.MOCK_ADMIN_TOKEN?.trim() || undefined);
  if (!apiKey) throw new UsageError("--api-key is required (or CONVERSEIQ_API_KEY)");
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
      adminToken,
    },
  };
}

function parse(args: string[]) {
  return readCommandLine(args, {
    "base-url": { type: "string" },
    "api-key": { type: "string" },
    "admin-token": { type: "string" },
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
    version: { type: "boolean", short: "v" },
  });
}

function count(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number; got ${value}`);
  return Number(value);
}

/** Runs the command line; resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  // The replay is a command of its own, with its own flags (replay-command.ts).
  if (args.some((arg) => arg === "--replay" || arg.startsWith("--replay="))) {
    const { replayCommand } = await import("./replay-command.ts");
    return replayCommand(args);
  }
  let parsed: ReturnType<typeof parseContractArgs>;
  try {
    parsed = parseContractArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`converseiq-contract: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(parsed.version ? packageVersion() : USAGE);
    return 0;
  }
  try {
    const result = await runContract(parsed.options);
    if (result.problem) {
      console.error(`converseiq-contract: ${result.problem.message}`);
      // In GitHub Actions the reason the run could not be made is an annotation too, not only a log line.
      if (parsed.options.reporter === "github") console.log(couldNotRunAnnotation(result.problem.message));
      return result.exitCode;
    }
    if (result.leftovers.length > 0) console.log(`\n${formatLeftovers(result.leftovers)}`);
    const { passed, failed, skipped } = result.tests;
    console.log(
      `\nconverseiq-contract: ${result.ok ? "every check held" : "FAILED"} against ${parsed.options.baseUrl}` +
        ` (tests: ${passed} passed, ${failed} failed, ${skipped} skipped${result.errors ? `; ${result.errors} errors` : ""})`,
    );
    // The fuzzing and the sequences draw their requests from the seed: the one flag that gives the same ones.
    const seeded = (parsed.options.suites ?? SUITES).some((suite) => suite === "fuzz" || suite === "stateful");
    if (!result.ok && seeded && result.seed !== undefined && parsed.options.seed === undefined)
      console.log(`Seed ${result.seed}: add --seed ${result.seed} to send the same fuzzing and sequences again.`);
    if (result.junit) console.log(`JUnit report: ${result.junit}`);
    if (result.json) console.log(`JSON report: ${result.json}`);
    return result.exitCode;
  } catch (error) {
    if (!(error instanceof ContractSetupError)) throw error;
    console.error(`converseiq-contract: ${error.message}`);
    return 2;
  }
}
