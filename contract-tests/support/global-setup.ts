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
    console.log(summarize(results));
    const driftPath = env.CONTRACT_DRIFT_REPORT;
    if (driftPath) console.log(writeDrift(driftPath, results, settings.name, env.CONTRACT_API_KEY));
  };
}

export function summarize(results: FileResult[]): string {
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
    `Files: ${results.length}   Checks: ${checks}   Failures: ${failures.length}`,
  ];
  if (extras.size > 0) {
    lines.push("Undocumented properties returned (allowed in tolerant mode, reported):");
    for (const [op, set] of extras) lines.push(`  ${op}: ${[...set].sort().join(", ")}`);
  }
  for (const failure of failures.slice(0, 20)) lines.push("", formatFailure(failure));
  if (failures.length > 20) lines.push(`… and ${failures.length - 20} more failures`);
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
