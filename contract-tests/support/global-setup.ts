/**
 * Vitest global setup (see vitest.config.ts): gives the run an id and a results folder, warns loudly at
 * the start when writes are off, and at the end prints the contract summary (target, checks, failures)
 * and, when `CONTRACT_DRIFT_REPORT` names a path, writes the drift report there (`.md` and `.json`).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { TestProject } from "vitest/node";
import { createRedactor } from "../../client/redact.ts";
import { mergeObservations, type Observations } from "../../lib/drift/observe.ts";
import { buildDriftReport, driftMarkdown } from "../../lib/drift/report.ts";
import { shape } from "../run/report/checks.ts";
import { type Failure, formatFailure } from "./checker.ts";
import type { FileResult } from "./results.ts";
import { readSettings, writesOffWarning } from "./settings.ts";

export default function setup(project: TestProject) {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  // Outside the project: the runner of the installed package runs in a consumer's folder.
  const resultsDir = join(tmpdir(), "converseiq-contract", `run-${id}`);
  project.provide("contractRun", { id, resultsDir });
  // The variables the test workers get: the process's, with the run's `env` over them (runContract's).
  const env = { ...process.env, ...project.config.env };
  const settings = readSettings(env);
  const warning = writesOffWarning(settings);
  if (warning) console.warn(`\n${warning}\n`);

  return () => {
    if (!existsSync(resultsDir)) return;
    const results = readdirSync(resultsDir).map(
      (name) => JSON.parse(readFileSync(join(resultsDir, name), "utf8")) as FileResult,
    );
    rmSync(resultsDir, { recursive: true, force: true });
    if (results.length === 0) return;
    console.log(summarize(results, env.CONTRACT_SUMMARY === "brief"));
    const driftPath = env.CONTRACT_DRIFT_REPORT;
    if (driftPath) console.log(writeDrift(driftPath, results, settings.name, env.CONTRACT_API_KEY));
  };
}

/** Identical failures once, with a count: the same operation breaking the same rules in the same words. */
export function dedupeFailures(failures: readonly Failure[]): { failure: Failure; count: number }[] {
  const byKey = new Map<string, { failure: Failure; count: number }>();
  for (const failure of failures) {
    const key = `${failure.operation}\n${failure.problems.map((p) => `${p.rule} ${shape(p.message)}`).join("\n")}`;
    const known = byKey.get(key);
    if (known) known.count++;
    else byKey.set(key, { failure, count: 1 });
  }
  return [...byKey.values()];
}

/**
 * The summary at the end of a run; `brief` (runContract, which reports every failing check itself) leaves
 * the failed answers out.
 */
export function summarize(results: FileResult[], brief = false): string {
  const targets = [...new Set(results.map((r) => `${r.target} (${r.mode})`))];
  const checks = results.reduce((n, r) => n + r.checks, 0);
  const failures: Failure[] = results.flatMap((r) => r.failures);
  const extras = new Map<string, Set<string>>();
  for (const r of results) {
    for (const [op, pointers] of Object.entries(r.extras)) {
      const set = extras.get(op) ?? new Set();
      for (const p of pointers) set.add(p);
      extras.set(op, set);
    }
  }
  const lines = [
    "",
    "── Contract summary ──",
    `Target: ${targets.join(", ")}`,
    `Files: ${results.length}   Answers checked: ${checks}   Answers that broke the contract: ${failures.length}`,
  ];
  if (extras.size > 0) {
    lines.push("Undocumented properties returned (allowed in tolerant mode, reported):");
    for (const [op, set] of extras) lines.push(`  ${op}: ${[...set].sort().join(", ")}`);
  }
  if (!brief) {
    const distinct = dedupeFailures(failures);
    for (const { failure, count } of distinct.slice(0, 20))
      lines.push(
        "",
        `${formatFailure(failure)}${count > 1 ? `\n  (${count} answers broke it this way; the first is shown)` : ""}`,
      );
    if (distinct.length > 20) lines.push(`… and ${distinct.length - 20} more distinct failures`);
  }
  return lines.join("\n");
}

function writeDrift(path: string, results: FileResult[], target: string, key: string | undefined): string {
  const observations: Observations = {};
  for (const r of results) mergeObservations(observations, r.observations);
  const report = buildDriftReport(target, observations);
  const safe = (text: string) => (key ? createRedactor(key).redact(text) : text);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.json`, `${safe(JSON.stringify(report, null, 2))}\n`);
  writeFileSync(`${path}.md`, safe(driftMarkdown(report)));
  return `Drift report: ${path}.md, ${path}.json`;
}
