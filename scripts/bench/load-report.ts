/**
 * What the reports of the runs in rounds taking turns (side-by-side.ts, replicas.ts) share: their head
 * (when, on what machine, at which commit, with which load generator), their rows as kept, and their
 * targets as printed.
 */
import type { LoadResult } from "./load.ts";
import { describeSetup, type LoadSetup, type LoadStart, type RoundSettings } from "./load-setup.ts";
import { type Machine, machine, revision, round, type Target, targetLines } from "./report.ts";

/** What a report of such a run begins with: when, on what machine, at which commit, with which load generator. */
export interface ReportHead {
  date: string;
  machine: Machine;
  machineAfter: Pick<Machine, "loadAverage">;
  revision: string;
  versions: Record<string, string>;
  loadSetup: LoadSetup;
}

/** The head of a run's report, as the run ends: the load generator's version and `versions`. */
export function reportHead(start: LoadStart, versions: Record<string, string>): ReportHead {
  return {
    date: start.date,
    machine: start.before,
    machineAfter: { loadAverage: machine().loadAverage },
    revision: revision(),
    versions: { [start.generator.name]: start.generator.version, ...versions },
    loadSetup: start.setup,
  };
}

/** Prints the head of a report: when, the machine and its load before and after, the load generator. */
export function printHead(report: ReportHead, log: (line: string) => void): void {
  const m = report.machine;
  log(`\n${report.date}  ${m.cpus}× ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, at ${report.revision}`);
  log(`load average before ${m.loadAverage.join(" ")}, after ${report.machineAfter.loadAverage.join(" ")}`);
  log(`load generator: ${describeSetup(report.loadSetup)}`);
}

/** A row as the report keeps it: req/s whole, milliseconds to two decimals. */
export function roundedRow<T extends LoadResult>(r: T): T {
  return {
    ...r,
    reqPerS: Math.round(r.reqPerS),
    p50Ms: round(r.p50Ms, 2),
    p99Ms: round(r.p99Ms, 2),
    maxMs: round(r.maxMs, 2),
    roundsP99Ms: r.roundsP99Ms.map((ms) => round(ms, 2)),
  };
}

/** Prints the targets with whether each is met; of a smoke run, only that its numbers are no measurement. */
export function printTargets(
  report: { settings: RoundSettings; targets: Target[] },
  log: (line: string) => void,
): void {
  if (report.settings.amount !== undefined) {
    log("\nA smoke run (a few requests each): it shows the script works; its numbers are no measurement.");
    return;
  }
  log("\nTargets:");
  for (const line of targetLines(report.targets)) log(line);
}
