/**
 * Coverage of a consumer's tests: for each operation of the public API, each status its spec documents,
 * how many times the mock answered it, and those it never answered (`GET /__admin/coverage`,
 * `converseiq-mock --coverage`, `mock.coverage()`).
 *
 * The engine counts every answer of a public operation by (operation, status) in a `CoverageCounter`: a
 * few numbers, not the requests, so it forgets nothing the bounded journal drops. `POST /__admin/reset`
 * leaves it alone (a test run resets between tests and asks at the end); `DELETE /__admin/coverage`
 * clears it. Which statuses are documented is what `Prefer: code=` can ask for (behaviour/canned-responses.ts):
 * those the operation lists, and for its `default` response the server errors the mock answers through it
 * (500, 503).
 *
 * Browser-safe, as the rest of the engine.
 */
import type { components } from "../../generated/admin-types.ts";
import { listOperations, type Operation, publicSpec } from "../../lib/spec.ts";
import { cannedResponses } from "../behaviour/canned-responses.ts";

export type CoverageReport = components["schemas"]["Coverage"];
export type OperationCoverage = components["schemas"]["OperationCoverage"];

/** The answers of public operations, counted by operation id and status. */
export class CoverageCounter {
  readonly #counts = new Map<string, Map<number, number>>();

  /** One more answer of `status` to `operationId`. */
  count(operationId: string, status: number): void {
    let byStatus = this.#counts.get(operationId);
    if (byStatus === undefined) {
      byStatus = new Map();
      this.#counts.set(operationId, byStatus);
    }
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  /** Every count back to zero. */
  clear(): void {
    this.#counts.clear();
  }

  /** The report over `operations` (the public spec's by default). */
  report(operations: readonly Operation[] = defaultOperations()): CoverageReport {
    const rows = operations.map((op) => operationCoverage(op, this.#counts.get(op.id)));
    return {
      covered: rows.reduce((sum, row) => sum + row.covered, 0),
      total: rows.reduce((sum, row) => sum + row.total, 0),
      operations: rows,
    };
  }
}

let publicOperations: Operation[] | undefined;
const defaultOperations = () => {
  publicOperations ??= listOperations(publicSpec);
  return publicOperations;
};

/** The documented statuses of each operation, with the response key each comes under; made once. */
const documentedByOperation = new WeakMap<Operation, [number, string][]>();

function documented(op: Operation): [number, string][] {
  let statuses = documentedByOperation.get(op);
  if (statuses === undefined) {
    statuses = [...cannedResponses(op).statuses.values()].map((s) => [s.status, s.specKey] as [number, string]);
    documentedByOperation.set(op, statuses);
  }
  return statuses;
}

function operationCoverage(op: Operation, counts: ReadonlyMap<number, number> | undefined): OperationCoverage {
  const statuses = documented(op).map(([status, documentedAs]) => ({
    status,
    documentedAs,
    count: counts?.get(status) ?? 0,
  }));
  const known = new Set(statuses.map((s) => s.status));
  const undocumented = [...(counts ?? [])]
    .filter(([status]) => !known.has(status))
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => ({ status, count }));
  const missing = statuses.filter((s) => s.count === 0).map((s) => s.status);
  return {
    operationId: op.id,
    method: op.method.toUpperCase(),
    path: op.path,
    covered: statuses.length - missing.length,
    total: statuses.length,
    statuses,
    missing,
    undocumented,
  };
}

/**
 * The report as a table for a terminal: one line per operation, each documented status as `404×3` when
 * answered or `-404` when never, the answered statuses it does not document after `undocumented:`, and
 * the totals.
 */
export function formatCoverage(report: CoverageReport): string {
  const rows = report.operations.map((op) => {
    const statuses = op.statuses.map((s) => (s.count > 0 ? `${s.status}×${s.count}` : `-${s.status}`));
    const extra = op.undocumented.map((s) => `${s.status}×${s.count}`);
    return {
      name: op.operationId,
      route: `${op.method} ${op.path}`,
      ratio: `${op.covered}/${op.total}`,
      statuses: [...statuses, ...(extra.length > 0 ? ["undocumented:", ...extra] : [])].join(" "),
    };
  });
  const header = { name: "operation", route: "route", ratio: "covered", statuses: "statuses (-N: never answered)" };
  const width = (key: "name" | "route" | "ratio") => Math.max(header[key].length, ...rows.map((r) => r[key].length));
  const [name, route, ratio] = [width("name"), width("route"), width("ratio")];
  const line = (r: typeof header) =>
    `${r.name.padEnd(name)}  ${r.route.padEnd(route)}  ${r.ratio.padStart(ratio)}  ${r.statuses}`.trimEnd();
  const percent = report.total === 0 ? 100 : Math.floor((report.covered / report.total) * 100);
  return [
    "Coverage of the documented statuses:",
    line(header),
    ...rows.map(line),
    `${report.covered} of ${report.total} documented statuses answered (${percent}%).`,
    "",
  ].join("\n");
}

/**
 * What `--coverage-require` asks for: a status (`404`: answered by at least one operation that documents
 * it) or an operation's status (`getContact:404`).
 */
export interface CoverageRequirement {
  operationId?: string;
  status: number;
}

/** Reads `404` or `getContact:404`; throws a RangeError naming what is wrong. */
export function parseCoverageRequirement(text: string): CoverageRequirement {
  const match = /^(?:([A-Za-z][A-Za-z0-9]*):)?([1-5]\d\d)$/.exec(text.trim());
  if (!match) throw new RangeError(`expected a status (404) or an operation's status (getContact:404), got "${text}"`);
  const status = Number(match[2]);
  return match[1] === undefined ? { status } : { operationId: match[1], status };
}

/**
 * The requirements the report does not meet, each as a sentence; none when all are met. A requirement the
 * spec cannot meet (no operation documents the status, or an unknown operation) is unmet too, and says so.
 */
export function unmetRequirements(report: CoverageReport, required: readonly CoverageRequirement[]): string[] {
  const unmet: string[] = [];
  for (const { operationId, status } of required) {
    const ops = report.operations.filter((op) => operationId === undefined || op.operationId === operationId);
    if (operationId !== undefined && ops.length === 0) {
      unmet.push(`${operationId}:${status}: no operation ${operationId} in the spec`);
      continue;
    }
    const documenting = ops.filter((op) => op.statuses.some((s) => s.status === status));
    const name = operationId === undefined ? String(status) : `${operationId}:${status}`;
    if (documenting.length === 0) unmet.push(`${name}: not documented${operationId ? "" : " by any operation"}`);
    else if (!documenting.some((op) => op.statuses.some((s) => s.status === status && s.count > 0))) {
      unmet.push(`${name}: never answered`);
    }
  }
  return unmet;
}
