/**
 * `runContract(options)`: the contract suites against a target, from this repository or from the installed
 * package (`converseiq-kit/contract`; the command `converseiq-contract` is `cli.ts` over it).
 *
 * It runs vitest in this process through its Node API (`createVitest` from `vitest/node`), with no config
 * file of the caller's: the suites are found beside this module (`../suites/`, the `.ts` sources here, the
 * compiled `.js` in the package), the settings reach them as `CONTRACT_*` variables (vitest's `env`, set
 * for the workers and read by the global setup; the caller's `process.env` is not changed), and the global
 * setup (`support/global-setup.ts`) prints the contract summary and writes the drift report as in every
 * other run. Writes against a non-local target stay off unless `allowWrites` (`support/settings.ts`).
 *
 * vitest is an optional peer dependency of the package: it is what runs the suites, and a consumer who
 * only wants the client or the mock should not install it. It is imported only when a run starts, and a
 * missing vitest is a `ContractSetupError` that says how to install it.
 */

import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LEFTOVERS_VARIABLE, type Leftover, readLeftovers } from "../support/leftovers.ts";
import { drawSeed } from "../support/seed.ts";
import { readSettings, type Settings } from "../support/settings.ts";
import type { PreflightProblem } from "./preflight.ts";
import { openRunScope, type RunScope } from "./scope.ts";

export {
  type JournalFile,
  type JournalFileEntry,
  JournalFileError,
  type ReplayedRequest,
  type ReplayFailure,
  type ReplayOptions,
  type ReplayResult,
  replayJournal,
} from "./replay.ts";

import { type CheckRecord, checkRecords } from "./report/checks.ts";
import { consoleLines, REPORTERS, type ReporterName, reportRun } from "./report/write.ts";

/** The suites, in the order they run (the quick ones first). */
export const SUITES = ["pagination", "contacts", "chats", "workspace-team", "conformance", "fuzz", "stateful"] as const;
export type SuiteName = (typeof SUITES)[number];

export interface ContractOptions {
  /** The API's base URL (`…/public/v1`; Prism's origin for Prism). Omitted: the mock in process. */
  baseUrl?: string | undefined;
  /** The key for it (a mock's `mock-api-key` is used when omitted and the target is a mock). */
  apiKey?: string | undefined;
  /** POST/PUT/DELETE against a non-local target (local targets always allow them). Default false. */
  allowWrites?: boolean | undefined;
  /** How bodies are judged; default strict for local targets, tolerant otherwise. */
  mode?: "strict" | "tolerant" | undefined;
  /** Path without extension of the drift report (`.md` and `.json`); omitted: none is written. */
  driftReport?: string | undefined;
  /** A JUnit XML file of the run, for CI: one test case per check. */
  junit?: string | undefined;
  /** A JSON file of the run, for tools: every check with its status, the distinct failures with counts. */
  json?: string | undefined;
  /** `github`: also GitHub Actions annotations and a job summary (`$GITHUB_STEP_SUMMARY`). Default `default`. */
  reporter?: ReporterName | undefined;
  /** Runs per fuzzing property (the fuzz suite's default: 100). */
  fuzzRuns?: number | undefined;
  /** Sequences of the model-based suite (its default: 30). */
  modelRuns?: number | undefined;
  /** The seed of the fuzzing and the model-based sequences (default: one drawn for the run, printed, in the result; replays a run). */
  seed?: number | undefined;
  /** Which suites (default: all of `SUITES`). */
  suites?: readonly SuiteName[] | undefined;
  /** Where the mock's admin API is (default: the base URL's origin for local targets). */
  adminUrl?: string | undefined;
  /** The admin token of a mock started with `--admin-token` (its x-admin-token header). */
  adminToken?: string | undefined;
  /** The target is Prism in front of a mock: tests that send invalid requests are skipped. */
  viaPrism?: boolean | undefined;
  /** More `CONTRACT_*` variables for the suites (ids a live API cannot list: `CONTRACT_CHANNEL_ID`, …). */
  env?: Record<string, string> | undefined;
}

export interface ContractResult {
  /** Every check held: every test passed or was skipped, and nothing failed outside a test. */
  ok: boolean;
  /**
   * The exit code of `converseiq-contract`: 0 when ok, 1 when a check failed, 2 when the run could not be
   * made (`problem` says why, and no suite ran).
   */
  exitCode: 0 | 1 | 2;
  tests: { passed: number; failed: number; skipped: number };
  /** Errors outside tests (a suite that failed to load, an unhandled rejection). */
  errors: number;
  /** The drift report's files, when one was asked for. */
  driftReport: { markdown: string; json: string } | undefined;
  junit: string | undefined;
  /** Why the run could not be made (the preflight: unreachable, not this API, key refused), in one line. */
  problem: { kind: PreflightProblem; message: string } | undefined;
  /** What the run created on the target and could not delete (kind, id, why). */
  leftovers: Leftover[];
  json: string | undefined;
  /** Every check: its suite, operations, rule, status and why it did not run or what failed. */
  checks: CheckRecord[];
  /** The seed the fuzzing and the model-based sequences ran under: give it as `seed` to replay them. */
  seed: number | undefined;
}

/** Set up wrong: vitest missing, or options that make no run (a bad URL, an unknown suite). */
export class ContractSetupError extends Error {
  override name = "ContractSetupError";
}

/** The variables the suites read, from the options; each is set (empty when unset) so none leaks in. */
export function contractEnv(options: ContractOptions): Record<string, string> {
  const number = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0))
      throw new ContractSetupError(`${name} must be a whole number of at least 0; got ${value}`);
    return value === undefined ? "" : String(value);
  };
  return {
    ...options.env,
    CONTRACT_BASE_URL: options.baseUrl ?? "",
    CONTRACT_API_KEY: options.apiKey ?? "",
    CONTRACT_ALLOW_WRITES: options.allowWrites ? "1" : "",
    CONTRACT_MODE: options.mode ?? "",
    CONTRACT_DRIFT_REPORT: options.driftReport === undefined ? "" : resolve(options.driftReport),
    CONTRACT_FUZZ_RUNS: number("fuzzRuns", options.fuzzRuns),
    CONTRACT_MODEL_RUNS: number("modelRuns", options.modelRuns),
    CONTRACT_FUZZ_SEED: number("seed", options.seed),
    CONTRACT_ADMIN_URL: options.adminUrl ?? "",
    CONTRACT_ADMIN_TOKEN: options.adminToken ?? options.env?.CONTRACT_ADMIN_TOKEN ?? "",
    CONTRACT_VIA_PRISM: options.viaPrism ? "1" : "",
    // The runner prints the failures itself (report/), once each: the global setup's summary leaves them out.
    CONTRACT_SUMMARY: "brief",
  };
}

/** The settings the run will have (throws a `ContractSetupError` for a bad URL or mode). */
export function contractSettings(options: ContractOptions): Settings {
  if (options.baseUrl !== undefined && !URL.canParse(options.baseUrl))
    throw new ContractSetupError(`baseUrl is not a URL: ${options.baseUrl}`);
  try {
    return readSettings({ ...process.env, ...contractEnv(options) });
  } catch (error) {
    if (error instanceof ContractSetupError) throw error;
    throw new ContractSetupError((error as Error).message);
  }
}

/** The contract-tests folder this module belongs to, and the extension of its files (`ts` or `js`). */
function contractRoot(): { root: string; extension: "ts" | "js" } {
  const here = fileURLToPath(import.meta.url);
  return { root: dirname(dirname(here)), extension: here.endsWith(".ts") ? "ts" : "js" };
}

export async function runContract(options: ContractOptions = {}): Promise<ContractResult> {
  const suites = options.suites ?? SUITES;
  const unknown = suites.filter((name) => !(SUITES as readonly string[]).includes(name));
  if (unknown.length > 0 || suites.length === 0)
    throw new ContractSetupError(
      `unknown suite ${unknown.join(", ") || "(none given)"}; the suites are ${SUITES.join(", ")}`,
    );
  // One seed for every suite of the run, so that one `seed` replays it all.
  const seed = options.seed ?? drawSeed();
  const env = contractEnv({ ...options, seed });
  const settings = contractSettings(options);
  const { root, extension } = contractRoot();
  const files = suites.map((name) => join(root, "suites", `${name}.test.${extension}`));
  const missing = files.find((file) => !existsSync(file));
  if (missing) throw new ContractSetupError(`the suite ${missing} is not there: the package is incomplete`);

  let node: typeof import("vitest/node");
  try {
    node = await import("vitest/node");
  } catch (error) {
    throw new ContractSetupError(
      "the contract runner needs vitest (an optional peer dependency of converseiq-kit): " +
        `npm i -D vitest@^4 (${(error as Error).message})`,
    );
  }

  // Before any suite: can the run be made at all, and on a mock, a workspace of the run's own.
  let scope: RunScope = { ok: true, apiKey: settings.apiKey, workspace: undefined };
  if (settings.kind === "http") {
    try {
      scope = await openRunScope(settings, env.CONTRACT_ADMIN_TOKEN || undefined);
    } catch (error) {
      throw new ContractSetupError((error as Error).message);
    }
    if (!scope.ok) return couldNotRun({ kind: scope.problem, message: scope.message });
    env.CONTRACT_API_KEY = scope.apiKey ?? "";
  }
  const workspace = scope.ok ? scope.workspace : undefined;
  const leftoversFile = join(tmpdir(), `converseiq-contract-leftovers-${randomUUID()}.jsonl`);
  env[LEFTOVERS_VARIABLE] = leftoversFile;
  // Filled in once the suites have run (in `finally`, so after the result is made): what the workers could
  // not delete, and the run's workspace if it could not be removed.
  const leftovers: Leftover[] = [];

  const reporter = options.reporter ?? "default";
  if (!REPORTERS.includes(reporter))
    throw new ContractSetupError(`unknown reporter ${reporter}; the reporters are ${REPORTERS.join(", ")}`);
  const junit = options.junit === undefined ? undefined : resolve(options.junit);
  const json = options.json === undefined ? undefined : resolve(options.json);
  const exitCodeBefore = process.exitCode;
  const creating = node.createVitest(
    "test",
    {
      // Nothing of the caller's vitest config: this run is the suites and these settings only.
      config: false,
      root,
      dir: root,
      include: suites.map((name) => `suites/${name}.test.${extension}`),
      globalSetup: [join(root, "support", `global-setup.${extension}`)],
      env,
      watch: false,
      pool: "threads",
      testTimeout: 20_000,
      // One server shared by every file is run against one file at a time: the stateful suite and the page
      // walks need the data to themselves (in process, each file has its own mock).
      fileParallelism: settings.kind === "in-process",
      // The report is the runner's own (report/), printed when the run ends; vitest's is left out.
      reporters: [consoleLines()],
    },
    // Vite's cache would go under the root, inside node_modules when installed.
    { cacheDir: join(tmpdir(), "converseiq-contract-vite") },
  );
  // A run that never starts removes its workspace too.
  const vitest = await creating.catch(async (error: unknown) => {
    await workspace?.remove();
    throw error;
  });
  try {
    const { testModules, unhandledErrors } = await vitest.start();
    const tests = { passed: 0, failed: 0, skipped: 0 };
    let errors = unhandledErrors.length;
    for (const module of testModules) {
      errors += module.errors().length;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") tests.passed++;
        else if (state === "failed") tests.failed++;
        else tests.skipped++;
      }
    }
    const ok = testModules.length === files.length && tests.failed === 0 && errors === 0;
    const checks = checkRecords(testModules);
    for (const module of testModules)
      for (const error of module.errors()) console.error(`${module.moduleId} could not run: ${error.message}`);
    for (const error of unhandledErrors)
      console.error(`error outside the checks: ${(error as Error).message ?? error}`);
    reportRun(checks, { target: settings.name, suites, ok, reporter, junit, json });
    const drift = env.CONTRACT_DRIFT_REPORT;
    return {
      ok,
      exitCode: ok ? 0 : 1,
      tests,
      errors,
      driftReport: drift ? { markdown: `${drift}.md`, json: `${drift}.json` } : undefined,
      junit,
      problem: undefined,
      leftovers,
      json,
      checks,
      seed,
    };
  } finally {
    await vitest.close();
    leftovers.push(...readLeftovers(leftoversFile));
    const notRemoved = await workspace?.remove();
    if (workspace && notRemoved) leftovers.push({ kind: "workspace", id: workspace.apiKey, why: notRemoved });
    // vitest sets the exit code of the process it runs in; the caller decides it from the result.
    process.exitCode = exitCodeBefore;
  }
}

/** The result of a run that could not be made: exit 2, the one line that says why, no suite run. */
function couldNotRun(problem: { kind: PreflightProblem; message: string }): ContractResult {
  return {
    ok: false,
    exitCode: 2,
    tests: { passed: 0, failed: 0, skipped: 0 },
    errors: 0,
    driftReport: undefined,
    junit: undefined,
    json: undefined,
    checks: [],
    problem,
    leftovers: [],
    seed: undefined,
  };
}
