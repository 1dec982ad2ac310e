/**
 * `npm run bench`: the mock beside the mock of an earlier commit (the baseline, `--baseline REF`), Prism
 * and a bare node:http ceiling, under the same load, and GET list through the fetch adapter in process
 * (scripts/bench/side-by-side.ts). `--scale`: the mock at 1,000,000 contacts beside the default seed
 * (scale.ts). `--soak SECONDS`: mixed reads and writes for that long, memory and consistency (soak.ts).
 * `--workspaces N`: the memory of N workspaces (`POST /__admin/workspaces`) in one process (workspaces.ts).
 * `--replicas`: the mock in memory beside one and two replicas sharing their state through a Redis of the
 * benchmark's own (replicas.ts); skipped, loudly, where redis-server is missing.
 * `--admin-import`: `PUT /__admin/state` of 100,000 valid contacts and of 12,000 empty ones, with a GET sent
 * during each (admin-import.ts).
 * `--smoke`: the side-by-side run in a few seconds, no thresholds and no baseline (what `npm test` runs).
 * The side-by-side load comes from wrk when it is on the PATH, else autocannon (`--generator` picks one),
 * and where `taskset` is, the generator runs on core 0 and the servers on core 1 (`--no-pinning`: not).
 *
 * Builds the mock's bundle first (the one `npm start` runs), starts every server on a free loopback port,
 * prints tables and the targets, writes the JSON report under `reports/` (or `--out FILE`), and stops every
 * server it started, also on failure or Ctrl-C.
 */
import { parseArgs } from "node:util";
import { type Baseline, isSkipped, NODE_HTTP_SERVER, prepareBaseline, type SkippedBaseline } from "./bench/baseline.ts";
import { killAll, stopServersOnExit } from "./bench/processes.ts";
import { redisServerFile } from "./bench/redis-server.ts";
import { writeReport } from "./bench/report.ts";
import { ROOT } from "./bench/servers.ts";
import { FULL, markdownSideBySide, printSideBySide, SMOKE, sideBySide } from "./bench/side-by-side.ts";
import { buildMock } from "./build.ts";

const USAGE = `Usage: npm run bench -- [--scale | --soak SECONDS | --workspaces N | --replicas | --admin-import | --smoke] [--out FILE] [--markdown]
                                [--generator wrk|autocannon] [--no-pinning] [--baseline REF | --no-baseline]
  (no flag)        the mock, the baseline, Prism and a node:http ceiling side by side, and GET list
                   through the fetch adapter in process (about 6 minutes)
  --scale          the mock at 1,000,000 contacts beside the default seed
  --soak SECONDS   mixed reads and writes at 50 connections for SECONDS, RSS every 10 s, consistency at the end
  --workspaces N   the heap and RSS of N default-seeded workspaces in one process (and of up to 100 with
                   seeds of their own), per workspace and for 1,000
  --replicas       the mock in memory, one replica and two replicas on a Redis of its own (redis-server),
                   side by side: GET list and POST req/s, POST p50 and p99, RSS per replica
  --admin-import   PUT /__admin/state: 100,000 valid contacts (time, peak RSS) and 12,000 empty ones (time to
                   the 400), a GET sent during each
  --smoke          the side-by-side run in a few seconds, no thresholds, no baseline (npm test runs it);
                   with --replicas, that run in a few seconds
  --out FILE       where the JSON report goes (default reports/bench[-scale|-soak].json, reports/replicas.json)
  --markdown       also print the tables as Markdown
  --generator G    side by side and --replicas: load from wrk or autocannon (default: wrk when on the PATH)
  --no-pinning     side by side and --replicas: no taskset (by default the generator, and Redis, run on
                   core 0, the servers on core 1)
  --baseline REF   side by side: the mock of commit REF as a server of its own, mock@REF, in the same rounds
                   (default: the parent of the commit that removed ${NODE_HTTP_SERVER}, the node:http
                   server before Fastify; not in --smoke unless given)
  --no-baseline    side by side: no baseline
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: "boolean" },
      soak: { type: "string" },
      workspaces: { type: "string" },
      replicas: { type: "boolean" },
      "admin-import": { type: "boolean" },
      smoke: { type: "boolean" },
      out: { type: "string" },
      markdown: { type: "boolean" },
      generator: { type: "string" },
      "no-pinning": { type: "boolean" },
      baseline: { type: "string" },
      "no-baseline": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  // --smoke is a mode of its own, or the short run of --replicas.
  const modes = [
    values.scale,
    values.soak !== undefined,
    values.workspaces !== undefined,
    values.replicas,
    values["admin-import"],
    values.smoke && !values.replicas,
  ].filter(Boolean).length;
  if (modes > 1) throw new Error("pick one of --scale, --soak, --workspaces, --replicas, --admin-import and --smoke");
  const generator = values.generator;
  if (generator !== undefined && generator !== "wrk" && generator !== "autocannon")
    throw new Error(`--generator takes wrk or autocannon, not ${generator}`);
  if (values.baseline !== undefined && values["no-baseline"])
    throw new Error("pick one of --baseline and --no-baseline");

  if (values.workspaces !== undefined) {
    // No server and no bundle: the engine in child processes of its own.
    const { measureWorkspaces, printWorkspaces } = await import("./bench/workspaces.ts");
    const report = measureWorkspaces(Number(values.workspaces));
    printWorkspaces(report);
    save(values.out ?? `${ROOT}reports/bench-workspaces.json`, report);
    return;
  }

  if (values.replicas && redisServerFile() === undefined) {
    console.error(
      "\n⚠ SKIPPING npm run bench -- --replicas: redis-server is not on the PATH " +
        "(install Debian's redis-server, as .ci/system-packages.sh does). Nothing was measured.\n",
    );
    return;
  }

  const removeHandlers = stopServersOnExit();
  let baseline: Baseline | SkippedBaseline | undefined;
  const built = await buildMock();
  console.log(`built the mock's bundle (${built.inputs.length} source files)`);
  try {
    if (values["admin-import"]) {
      const { adminImport, printAdminImport } = await import("./bench/admin-import.ts");
      const report = await adminImport();
      printAdminImport(report);
      save(values.out ?? `${ROOT}reports/bench-admin-import.json`, report);
    } else if (values.scale) {
      const { scale, printScale } = await import("./bench/scale.ts");
      const report = await scale();
      printScale(report);
      save(values.out ?? `${ROOT}reports/bench-scale.json`, report);
    } else if (values.replicas) {
      const { replicas, printReplicas, FULL_REPLICAS, SMOKE_REPLICAS } = await import("./bench/replicas.ts");
      const report = await replicas(
        redisServerFile() ?? "redis-server",
        values.smoke ? SMOKE_REPLICAS : FULL_REPLICAS,
        {
          ...(generator !== undefined ? { generator } : {}),
          pinning: !values["no-pinning"],
        },
      );
      printReplicas(report);
      if (!values.smoke || values.out) save(values.out ?? `${ROOT}reports/replicas.json`, report);
    } else if (values.soak !== undefined) {
      const seconds = Number(values.soak);
      if (!Number.isInteger(seconds) || seconds < 10)
        throw new Error("--soak takes a whole number of seconds, at least 10");
      const { soak, printSoak } = await import("./bench/soak.ts");
      const report = await soak(seconds);
      printSoak(report);
      save(values.out ?? `${ROOT}reports/bench-soak.json`, report);
    } else {
      // A smoke run has no time for building another commit: a baseline there only when asked for.
      const wantBaseline = values.baseline !== undefined || (!values.smoke && !values["no-baseline"]);
      if (wantBaseline) {
        baseline = await prepareBaseline(values.baseline, console.log);
        if (isSkipped(baseline)) {
          console.error(`\nbench: BASELINE SKIPPED (${baseline.commit ?? baseline.asked}): ${baseline.skipped}\n`);
        }
      }
      const report = await sideBySide(values.smoke ? SMOKE : FULL, {
        ...(generator !== undefined ? { generator } : {}),
        pinning: !values["no-pinning"],
        ...(baseline !== undefined ? { baseline } : {}),
      });
      printSideBySide(report);
      if (values.markdown) console.log(`\n${markdownSideBySide(report)}`);
      // A smoke run proves the script works; its numbers mean nothing and are not kept unless asked.
      if (!values.smoke || values.out) save(values.out ?? `${ROOT}reports/bench.json`, report);
    }
  } finally {
    killAll();
    if (baseline !== undefined && !isSkipped(baseline)) baseline.remove();
    removeHandlers();
  }
}

function save(file: string, report: unknown): void {
  writeReport(file, report);
  console.log(`\nreport: ${file.startsWith(ROOT) ? file.slice(ROOT.length) : file}`);
}

const started = performance.now();
main().then(
  () => console.log(`bench: done in ${Math.round((performance.now() - started) / 1000)} s`),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
