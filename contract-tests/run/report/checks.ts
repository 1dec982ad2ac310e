/**
 * The checks of a run as plain records, and its failures told apart: what every report of the runner
 * (text, JUnit, JSON, GitHub) is made from. A check is one test of a suite; it is named by the operations
 * it is about (their operationIds are in its name or its describe block) and by its rule (the test's name).
 *
 * Identical failures are one failure with a count: the same operation and the same message once ids,
 * numbers, e-mail addresses and the run's names are set aside (one broken page shape fails every list
 * check of that operation, with the same words).
 */
import type { TestCase, TestModule } from "vitest/node";
import { listOperations } from "../../../lib/spec.ts";

export type CheckStatus = "pass" | "fail" | "not run";

export interface CheckRecord {
  /** `<describe> › <test>`: the operation(s) and the rule. */
  name: string;
  /** The suite (file) it belongs to: `pagination`, `contacts`, … */
  suite: string;
  /** The operations the check is about; empty for checks of the whole API (model run, unknown paths). */
  operations: string[];
  /** The test's own name: the rule checked. */
  rule: string;
  status: CheckStatus;
  /** Why it did not run. */
  reason?: string;
  /** What went wrong (the first error's message), when it failed. */
  error?: string;
}

export interface DistinctFailure {
  /** The operation that answered wrongly (from the request), else the check's. */
  operation: string;
  /** The rules broken (`[schema] …`) or the assertion that failed: one line. */
  rule: string;
  /** How many checks failed this way. */
  count: number;
  /** Those checks, by name. */
  checks: string[];
  /** The first example: the request, the answer excerpt (both redacted by the checker), the whole message. */
  request: string | undefined;
  response: string | undefined;
  message: string;
}

export const operationIds = listOperations().map((op) => op.id as string);
const SKIP_IN_NAME = / \[SKIPPED: (.*)\]$/;

export function operationsNamed(text: string): string[] {
  const words = new Set(text.split(/[^A-Za-z]+/));
  return operationIds.filter((id) => words.has(id));
}

function suiteOf(moduleId: string): string {
  const file = moduleId.split(/[\\/]/).pop() ?? moduleId;
  return file.replace(/\.test\.[jt]s$/, "");
}

export function recordOf(test: TestCase): CheckRecord {
  const names: string[] = [test.name];
  for (let parent = test.parent; parent.type === "suite"; parent = parent.parent) names.unshift(parent.name);
  const result = test.result();
  const inName = test.name.match(SKIP_IN_NAME);
  const rule = test.name.replace(SKIP_IN_NAME, "");
  const name = [...names.slice(0, -1), rule].join(" › ");
  const record: CheckRecord = {
    name,
    suite: suiteOf(test.module.moduleId),
    operations: operationsNamed(names.join(" ")),
    rule,
    status: result.state === "passed" ? "pass" : result.state === "failed" ? "fail" : "not run",
  };
  if (result.state === "failed") record.error = result.errors?.[0]?.message ?? "failed";
  else if (result.state !== "passed") {
    const note = result.state === "skipped" ? result.note : undefined;
    record.reason = note ?? inName?.[1] ?? "skipped";
  }
  return record;
}

export function checkRecords(modules: readonly TestModule[]): CheckRecord[] {
  return modules.flatMap((module) => [...module.children.allTests()].map(recordOf));
}

const VIOLATION = "The response breaks the contract";

/** The part of an error message that says what is wrong (fast-check's report around it set aside). */
function essence(message: string): string {
  const at = message.indexOf(VIOLATION);
  if (at >= 0) return message.slice(at).split("\n\n")[0] as string;
  const got = message.match(/Got (?:error: )?(\w*Error: )?([\s\S]*?)(?:\n\s*at |\n\n|$)/);
  if (message.startsWith("Property failed") && got) return (got[2] ?? "").trim();
  return message.trim();
}

/** Ids, numbers, addresses and the run's names as placeholders: what makes two messages the same failure. */
export function shape(text: string): string {
  return text
    .replace(/ciq-contract-[a-z0-9]+/g, "<run>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<id>")
    .replace(/[\w.+-]+@[\w.-]+/g, "<email>")
    .replace(/\d+/g, "<n>");
}

export function distinctFailures(records: readonly CheckRecord[]): DistinctFailure[] {
  const byKey = new Map<string, DistinctFailure>();
  for (const record of records) {
    if (record.status !== "fail") continue;
    const message = essence(record.error ?? "failed");
    const lines = message.split("\n");
    const request = lines.find((l) => l.startsWith("  request:"))?.replace(/^\s*request:\s*/, "");
    const response = lines.find((l) => l.startsWith("  response:"))?.replace(/^\s*response:\s*/, "");
    const broke = lines.filter((l) => /^\s+- \[/.test(l)).map((l) => l.trim().replace(/^- /, ""));
    const operation =
      request?.match(/\((\w+|\(no operation\))\)/)?.[1] || record.operations.join(", ") || "(whole API)";
    const rule = broke.length > 0 ? broke.join("; ") : (lines[0] ?? "failed");
    const key = `${operation}\n${shape(rule)}`;
    const known = byKey.get(key);
    if (known) {
      known.count++;
      known.checks.push(record.name);
    } else {
      byKey.set(key, {
        operation,
        rule,
        count: 1,
        checks: [record.name],
        request,
        response,
        message,
      });
    }
  }
  return [...byKey.values()];
}

export interface RunCounts {
  passed: number;
  failed: number;
  notRun: number;
}

export function countChecks(records: readonly CheckRecord[]): RunCounts {
  return {
    passed: records.filter((r) => r.status === "pass").length,
    failed: records.filter((r) => r.status === "fail").length,
    notRun: records.filter((r) => r.status === "not run").length,
  };
}
