/**
 * What every benchmark report has: the date and the machine (so numbers from different runs can be told
 * apart), tables as text, the targets with whether each is met, and the JSON file under `reports/`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { dirname } from "node:path";
import { ROOT } from "./servers.ts";

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  freeMemoryGiB: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages: above about 0.5 the machine was busy with something else too. */
  loadAverage: number[];
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? "unknown",
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    freeMemoryGiB: round(freemem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((l) => round(l, 2)),
  };
}

/** The commit the numbers were taken at, with `+changes` when the work tree differs from it. */
export function revision(): string {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    return dirty.trim() === "" ? commit : `${commit}+changes`;
  } catch {
    return "unknown";
  }
}

export function packageVersion(name: string): string {
  try {
    const json = JSON.parse(readFileSync(`${ROOT}node_modules/${name}/package.json`, "utf8")) as { version: string };
    return json.version;
  } catch {
    return "unknown";
  }
}

export interface Target {
  name: string;
  value: number;
  /** `>=`, `>` or `<=` the threshold. */
  op: ">=" | ">" | "<=";
  threshold: number;
  unit: string;
  met: boolean;
}

export function target(name: string, value: number, op: Target["op"], threshold: number, unit = ""): Target {
  const met =
    Number.isFinite(value) && (op === ">=" ? value >= threshold : op === ">" ? value > threshold : value <= threshold);
  return { name, value: round(value, 3), op, threshold, unit, met };
}

export function targetLines(targets: Target[]): string[] {
  return targets.map(
    (t) => `  ${t.met ? "PASS" : "MISS"}  ${t.name}: ${fmt(t.value)}${t.unit} (target ${t.op} ${t.threshold}${t.unit})`,
  );
}

/** A text table: a header row, then rows; numbers right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => (typeof cell === "number" ? fmt(cell) : cell)))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const numeric = header.map((_, i) => rows.every((row) => typeof row[i] === "number" || row[i] === "—"));
  const line = (row: string[]) =>
    row.map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join("  ");
  return [line(cells[0] ?? []), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n");
}

/** The same table as Markdown (for `docs/performance.md`). */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const cell = (c: string | number) => (typeof c === "number" ? fmt(c) : c);
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (rows.every((r) => typeof r[i] === "number") ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ].join("\n");
}

/** A number as a table shows it: whole above 100, else up to 2 decimals. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return "—";
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(round(value, Math.abs(value) >= 10 ? 1 : 2));
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const mb = (bytes: number | undefined) => (bytes === undefined ? Number.NaN : round(bytes / 2 ** 20, 1));

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function writeReport(file: string, report: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
