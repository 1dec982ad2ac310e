/**
 * The run's report for people, printed at its end: a table of operations down and suites across (pass,
 * FAIL, or – when no check of that operation ran in that suite), then each distinct failure once with
 * its count, the request, the answer excerpt and the rule, then why checks did not run, by reason.
 * A run with one fault fits on a screen or two.
 */
import { type CheckRecord, countChecks, type DistinctFailure, distinctFailures, operationIds } from "./checks.ts";

export const WHOLE_API = "(whole API)";
const SHOWN_CHECKS = 6;
const EXCERPT = 240;

export type Cell = "pass" | "FAIL" | "–";

/** The table's rows: every operation the checks name, in the spec's order, then checks of the whole API. */
export function summaryTable(
  records: readonly CheckRecord[],
  suites: readonly string[],
): { rows: string[]; cells: Map<string, Map<string, Cell>> } {
  const cells = new Map<string, Map<string, Cell>>();
  for (const record of records) {
    for (const operation of record.operations.length > 0 ? record.operations : [WHOLE_API]) {
      let row = cells.get(operation);
      if (!row) {
        row = new Map(suites.map((s) => [s, "–" as Cell]));
        cells.set(operation, row);
      }
      const now = row.get(record.suite) ?? "–";
      if (record.status === "fail") row.set(record.suite, "FAIL");
      else if (record.status === "pass" && now === "–") row.set(record.suite, "pass");
    }
  }
  const order = (row: string) => (row === WHOLE_API ? operationIds.length : operationIds.indexOf(row));
  const rows = [...cells.keys()].sort((a, b) => order(a) - order(b));
  return { rows, cells };
}

export function tableText(records: readonly CheckRecord[], suites: readonly string[]): string[] {
  const { rows, cells } = summaryTable(records, suites);
  const first = Math.max(9, ...rows.map((r) => r.length));
  const widths = suites.map((s) => Math.max(4, s.length));
  const line = (head: string, values: string[]) =>
    `${head.padEnd(first)}  ${values.map((v, i) => v.padEnd(widths[i] ?? 4)).join("  ")}`.trimEnd();
  return [
    line("operation", [...suites]),
    ...rows.map((row) =>
      line(
        row,
        suites.map((s) => cells.get(row)?.get(s) ?? "–"),
      ),
    ),
  ];
}

const cut = (text: string) => (text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text);

export function failureText(failure: DistinctFailure, index: number): string[] {
  const times = failure.count === 1 ? "1 check" : `${failure.count} checks`;
  const lines = [`${index}. ${failure.operation}: ${cut(failure.rule)}  (${times})`];
  if (failure.request) lines.push(`   request:  ${cut(failure.request)}`);
  if (failure.response) lines.push(`   answer:   ${cut(failure.response)}`);
  if (!failure.request) {
    const detail = failure.message
      .split("\n")
      .slice(1, 4)
      .filter((l) => l.trim() !== "");
    for (const l of detail) lines.push(`   ${cut(l.trim())}`);
  }
  const shown = failure.checks.slice(0, SHOWN_CHECKS);
  lines.push(`   failing checks:`, ...shown.map((name) => `     - ${name}`));
  if (failure.checks.length > shown.length) lines.push(`     … and ${failure.checks.length - shown.length} more`);
  return lines;
}

/** Reasons checks did not run, each once with its count, most frequent first. */
export function notRunReasons(records: readonly CheckRecord[]): [string, number][] {
  const reasons = new Map<string, number>();
  for (const r of records)
    if (r.status === "not run") reasons.set(r.reason ?? "skipped", (reasons.get(r.reason ?? "skipped") ?? 0) + 1);
  return [...reasons].sort((a, b) => b[1] - a[1]);
}

export function textReport(records: readonly CheckRecord[], suites: readonly string[], target: string): string {
  const counts = countChecks(records);
  const failures = distinctFailures(records);
  const lines = ["", `── Contract checks against ${target} ──`, ...tableText(records, suites), ""];
  lines.push(`Checks: ${counts.passed} pass, ${counts.failed} FAIL, ${counts.notRun} not run`);
  if (failures.length > 0) {
    lines.push("", `${failures.length} distinct ${failures.length === 1 ? "failure" : "failures"}:`);
    failures.forEach((failure, i) => {
      lines.push(...failureText(failure, i + 1));
    });
  }
  const reasons = notRunReasons(records);
  if (reasons.length > 0) {
    lines.push("", "Not run:");
    for (const [reason, count] of reasons.slice(0, 8)) lines.push(`  ${count} × ${reason}`);
    if (reasons.length > 8) lines.push(`  … and ${reasons.length - 8} other reasons`);
  }
  return lines.join("\n");
}
