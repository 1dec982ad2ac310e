/**
 * `npm run bench -- --workspaces N`: the memory a workspace (`POST /__admin/workspaces`) costs. Runs
 * workspaces-child.ts twice, each in a process of its own with `--expose-gc`: N default-seeded workspaces
 * (the case the targets are about: their seeded records are shared), then up to 100 workspaces each with
 * a seed of its own (nothing shared: the worst case, for information). Heap and RSS are read after full
 * collections, before the workspaces, after making them, and after using each (a contact created, a page
 * read); the cost of one is the difference over their number. The 1,000-workspace figure is the process's
 * RSS with 1,000 of them: measured when N is 1,000, else projected from the cost of one.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Machine, machine, revision, round, type Target, table, target, targetLines } from "./report.ts";
import type { WorkspacesSample } from "./workspaces-child.ts";

const CHILD = fileURLToPath(new URL("./workspaces-child.ts", import.meta.url));
/** Workspaces of seeds of their own, at most: each is seeded afresh (about 10 ms). */
const DISTINCT = 100;
const THOUSAND = 1000;

export interface WorkspacesReport {
  kind: "workspaces";
  date: string;
  machine: Machine;
  revision: string;
  samples: WorkspacesSample[];
  /** The process's RSS with 1,000 default-seeded workspaces in use, in MB, and whether it was measured. */
  thousand: { rssMB: number; measured: boolean };
  targets: Target[];
}

function sample(count: number, distinct: boolean): WorkspacesSample {
  const args = ["--expose-gc", "--import", "tsx", CHILD, String(count), ...(distinct ? ["--distinct"] : [])];
  const out = execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out.trim().split("\n").at(-1) as string) as WorkspacesSample;
}

const kb = (bytes: number) => round(bytes / 1024, 1);
const perWorkspace = (s: WorkspacesSample, phase: "created" | "used", of: "heapUsed" | "rss") =>
  (s[phase][of] - s.base[of]) / s.count;

export function measureWorkspaces(count: number): WorkspacesReport {
  if (!Number.isInteger(count) || count < 1) throw new Error("--workspaces takes a whole number, at least 1");
  const shared = sample(count, false);
  const distinct = sample(Math.min(count, DISTINCT), true);
  const measured = count === THOUSAND;
  const rss = measured ? shared.used.rss : shared.base.rss + perWorkspace(shared, "used", "rss") * THOUSAND;
  const thousand = { rssMB: round(rss / 2 ** 20, 1), measured };
  return {
    kind: "workspaces",
    date: new Date().toISOString(),
    machine: machine(),
    revision: revision(),
    samples: [shared, distinct],
    thousand,
    targets: [
      target(
        "heap per default-seeded workspace, in use",
        kb(perWorkspace(shared, "used", "heapUsed")),
        "<=",
        1024,
        " KB",
      ),
      target("RSS per default-seeded workspace, in use", kb(perWorkspace(shared, "used", "rss")), "<=", 1024, " KB"),
      target(
        `RSS of one process with 1,000 default-seeded workspaces${measured ? "" : " (projected)"}`,
        thousand.rssMB,
        "<=",
        1536,
        " MB",
      ),
    ],
  };
}

export function printWorkspaces(report: WorkspacesReport): void {
  const rows = report.samples.map((s) => [
    s.distinct ? "a seed of its own" : "default seed (shared records)",
    s.count,
    round(s.createMs / s.count, 2),
    kb(perWorkspace(s, "created", "heapUsed")),
    kb(perWorkspace(s, "used", "heapUsed")),
    kb(perWorkspace(s, "used", "rss")),
    round(s.base.rss / 2 ** 20, 1),
    round(s.used.rss / 2 ** 20, 1),
  ]);
  console.log(`\nworkspaces (${report.machine.node}, ${report.revision})\n`);
  console.log(
    table(
      [
        "workspaces",
        "count",
        "ms to make one",
        "heap KB each (made)",
        "heap KB each (in use)",
        "RSS KB each (in use)",
        "RSS MB before",
        "RSS MB after",
      ],
      rows,
    ),
  );
  const { rssMB, measured } = report.thousand;
  console.log(
    `\n1,000 default-seeded workspaces in one process: ${rssMB} MB RSS (${measured ? "measured" : "projected"})`,
  );
  console.log(`\ntargets\n${targetLines(report.targets).join("\n")}`);
}
