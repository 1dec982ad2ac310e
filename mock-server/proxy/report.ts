/**
 * The proxy's report (`--report FILE`: FILE.md and FILE.json, named as the contract suites name their drift
 * report): the operations seen with their statuses, the violations by operation, the undocumented properties
 * by operation, and the contract suites' drift report itself (lib/drift/report.ts: x-inferred
 * parts confirmed or never returned, undocumented properties by schema), built by the same code.
 * Made of operation ids, statuses, rules, messages and property names: no header, no body, no key.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createRedactor } from "../../client/redact.ts";
import type { Observations } from "../../lib/drift/observe.ts";
import { buildDriftReport, type DriftReport, driftMarkdown } from "../../lib/drift/report.ts";
import type { Seen, Violation } from "./violations.ts";

export interface OperationSeen {
  /** The operationId, or `(no operation)` for requests the spec has no operation for. */
  operation: string;
  requests: number;
  /** How many answers of each status. */
  statuses: Record<string, number>;
  /** Each distinct violation (side, rule, message) with how many times it was seen. */
  violations: { side: string; rule: string; message: string; field?: string; times: number }[];
  /** Undocumented properties the answers had (JSON pointers, `*` for any item of an array), with how many times. */
  undocumented: { property: string; times: number }[];
}

export interface ProxyReport {
  target: string;
  generatedAt: string;
  operations: OperationSeen[];
  drift: DriftReport;
}

const NONE = "(no operation)";

export function buildProxyReport(
  target: string,
  exchanges: readonly Seen[],
  violations: readonly Violation[],
  extras: ReadonlyMap<string, ReadonlyMap<string, number>>,
  observations: Observations,
  now: Date = new Date(),
): ProxyReport {
  const byOperation = new Map<string, OperationSeen>();
  const entry = (name: string) => {
    let found = byOperation.get(name);
    if (!found) {
      found = { operation: name, requests: 0, statuses: {}, violations: [], undocumented: [] };
      byOperation.set(name, found);
    }
    return found;
  };
  for (const seen of exchanges) {
    const op = entry(seen.operationId ?? NONE);
    op.requests++;
    op.statuses[seen.status] = (op.statuses[seen.status] ?? 0) + 1;
  }
  for (const v of violations) {
    const op = entry(v.operationId ?? NONE);
    const same = op.violations.find((x) => x.side === v.side && x.rule === v.rule && x.message === v.message);
    if (same) same.times++;
    else
      op.violations.push({
        side: v.side,
        rule: v.rule,
        message: v.message,
        ...(v.field ? { field: v.field } : {}),
        times: 1,
      });
  }
  for (const [operation, properties] of extras) {
    entry(operation).undocumented = [...properties]
      .map(([property, times]) => ({ property, times }))
      .sort((a, b) => a.property.localeCompare(b.property));
  }
  const operations = [...byOperation.values()].sort((a, b) => a.operation.localeCompare(b.operation));
  return {
    target,
    generatedAt: now.toISOString(),
    operations,
    drift: buildDriftReport(target, observations, undefined, now),
  };
}

export function proxyMarkdown(report: ProxyReport): string {
  const list = (items: string[]) => (items.length === 0 ? "—" : items.join(", "));
  const lines = [
    "# Validating proxy report",
    "",
    `Target: ${report.target}  `,
    `Generated: ${report.generatedAt}`,
    "",
    "## Operations seen",
    "",
    "| Operation | Requests | Statuses | Violations | Undocumented properties |",
    "| --- | ---: | --- | ---: | --- |",
  ];
  for (const op of report.operations) {
    const statuses = Object.entries(op.statuses).map(([status, n]) => `${status} (${n}×)`);
    const violations = op.violations.reduce((n, v) => n + v.times, 0);
    const extras = op.undocumented.map((u) => `\`${u.property}\` (${u.times}×)`);
    lines.push(`| ${op.operation} | ${op.requests} | ${list(statuses)} | ${violations} | ${list(extras)} |`);
  }
  lines.push("", "## Violations by operation", "");
  const broken = report.operations.filter((op) => op.violations.length > 0);
  if (broken.length === 0) lines.push("None.");
  for (const op of broken) {
    lines.push(`### ${op.operation}`, "");
    for (const v of op.violations) lines.push(`- ${v.side}, ${v.rule}: ${v.message} (${v.times}×)`);
    lines.push("");
  }
  // The drift report as the contract suites write it, one heading level down.
  lines.push("", driftMarkdown(report.drift).replace(/^# /, "## "));
  return lines.join("\n");
}

/** Writes FILE.md and FILE.json (FILE a base name; a trailing .md or .json is dropped); returns the paths. */
export function writeProxyReport(file: string, report: ProxyReport, secrets: (string | undefined)[]): string[] {
  const base = file.replace(/\.(md|json)$/, "");
  const redactors = secrets.filter((s): s is string => s !== undefined && s !== "").map(createRedactor);
  const safe = (text: string) => redactors.reduce((out, r) => r.redact(out), text);
  mkdirSync(dirname(base), { recursive: true });
  writeFileSync(`${base}.json`, `${safe(JSON.stringify(report, null, 2))}\n`);
  writeFileSync(`${base}.md`, safe(proxyMarkdown(report)));
  return [`${base}.md`, `${base}.json`];
}
