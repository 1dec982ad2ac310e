/**
 * What each test file's checker saw, handed to the end of the run: every file writes its numbers to the
 * run's results folder (given by global-setup.ts through vitest's `provide`/`inject`), and the global
 * teardown merges them into the summary and, for live runs, the drift report.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import type { Observations } from "../../lib/drift/observe.ts";
import type { Failure } from "./checker.ts";

declare module "vitest" {
  export interface ProvidedContext {
    contractRun: { id: string; resultsDir: string };
  }
}

export interface FileResult {
  file: string;
  target: string;
  mode: string;
  checks: number;
  failures: Failure[];
  /** Undocumented properties seen, by operation (JSON pointers with `*` for array indexes). */
  extras: Record<string, string[]>;
  observations: Observations;
}

/** The run's id (for names of what tests create) and results folder; a local id outside a full run. */
export function currentRun(): { id: string; resultsDir: string | undefined } {
  let provided: { id: string; resultsDir: string } | undefined;
  try {
    provided = inject("contractRun");
  } catch {
    provided = undefined;
  }
  return provided ?? { id: `${Date.now().toString(36)}${process.pid.toString(36)}`, resultsDir: undefined };
}

export function saveFileResult(result: FileResult): void {
  const { resultsDir } = currentRun();
  if (!resultsDir) return;
  mkdirSync(resultsDir, { recursive: true });
  const name = `${result.file.replace(/[^A-Za-z0-9._-]+/g, "_")}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.json`;
  writeFileSync(join(resultsDir, name), JSON.stringify(result));
}
