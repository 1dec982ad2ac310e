/**
 * `npm run bench`: the mock beside Prism and a bare node:http ceiling, under the same load
 * (scripts/bench/side-by-side.ts). `--scale`: the mock at 1,000,000 contacts beside the default seed
 * (scale.ts). `--soak SECONDS`: mixed reads and writes for that long, memory and consistency (soak.ts).
 * `--smoke`: the side-by-side run in a few seconds, no thresholds (what `npm test` runs). The side-by-side
 * load comes from wrk when it is on the PATH, else autocannon (`--generator` picks one), and where `taskset`
 * is, the generator runs on core 0 and the servers on core 1 (`--no-pinning`: not).
 *
 * Builds the mock's bundle first (the one `npm start` runs), starts every server on a free loopback port,
 * prints tables and the targets, writes the JSON report under `reports/` (or `--out FILE`), and stops every
 * server it started, also on failure or Ctrl-C.
 */
import { parseArgs } from "node:util";
import { killAll, stopServersOnExit } from "./bench/processes.ts";
import { writeReport } from "./bench/report.ts";
import { ROOT } from "./bench/servers.ts";
import { FULL, markdownSideBySide, printSideBySide, SMOKE, sideBySide } from "./bench/side-by-side.ts";
import { buildMock } from "./build.ts";

const USAGE = `Usage: npm run bench -- [--scale | --soak SECONDS | --smoke] [--out FILE] [--markdown]
                                [--generator wrk|autocannon] [--no-pinning]
  (no flag)        the mock, Prism and a node:http ceiling side by side (about 4 minutes)
  --scale          the mock at 1,000,000 contacts beside the default seed
  --soak SECONDS   mixed reads and writes at 50 connections for SECONDS, RSS every 10 s, consistency at the end
  --smoke          the side-by-side run in a few seconds, no thresholds (npm test runs it)
  --out FILE       where the JSON report goes (default reports/bench[-scale|-soak].json)
  --markdown       also print the tables as Markdown
  --generator G    side by side: load from wrk or autocannon (default: wrk when it is on the PATH)
  --no-pinning     side by side: no taskset (by default the generator runs on core 0, the servers on core 1)
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: "boolean" },
      soak: { type: "string" },
      smoke: { type: "boolean" },
      out: { type: "string" },
      markdown: { type: "boolean" },
      generator: { type: "string" },
      "no-pinning": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const modes = [values.scale, values.soak !== undefined, values.smoke].filter(Boolean).length;
  if (modes > 1) throw new Error("pick one of --scale, --soak and --smoke");
  const generator = values.generator;
  if (generator !== undefined && generator !== "wrk" && generator !== "autocannon")
    throw new Error(`--generator takes wrk or autocannon, not ${generator}`);

  const removeHandlers = stopServersOnExit();
  const built = await buildMock();
  console.log(`built the mock's bundle (${built.inputs.length} source files)`);
  try {
    if (values.scale) {
      const { scale, printScale } = await import("./bench/scale.ts");
      const report = await scale();
      printScale(report);
      save(values.out ?? `${ROOT}reports/bench-scale.json`, report);
    } else if (values.soak !== undefined) {
      const seconds = Number(values.soak);
      if (!Number.isInteger(seconds) || seconds < 10)
        throw new Error("--soak takes a whole number of seconds, at least 10");
      const { soak, printSoak } = await import("./bench/soak.ts");
      const report = await soak(seconds);
      printSoak(report);
      save(values.out ?? `${ROOT}reports/bench-soak.json`, report);
    } else {
      const report = await sideBySide(values.smoke ? SMOKE : FULL, {
        ...(generator !== undefined ? { generator } : {}),
        pinning: !values["no-pinning"],
      });
      printSideBySide(report);
      if (values.markdown) console.log(`\n${markdownSideBySide(report)}`);
      // A smoke run proves the script works; its numbers mean nothing and are not kept unless asked.
      if (!values.smoke || values.out) save(values.out ?? `${ROOT}reports/bench.json`, report);
    }
  } finally {
    killAll();
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
