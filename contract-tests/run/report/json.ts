/** `--json FILE`: the run for tools: every check with its status, and the distinct failures with counts. */
import { type CheckRecord, countChecks, type DistinctFailure, distinctFailures } from "./checks.ts";

export interface JsonReport {
  target: string;
  ok: boolean;
  counts: { passed: number; failed: number; notRun: number };
  checks: CheckRecord[];
  failures: DistinctFailure[];
}

export function jsonReport(records: readonly CheckRecord[], target: string, ok: boolean): JsonReport {
  return { target, ok, counts: countChecks(records), checks: [...records], failures: distinctFailures(records) };
}
