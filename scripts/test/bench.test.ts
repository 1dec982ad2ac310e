import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { onPath } from "../bench/load.ts";
import { redisServerFile } from "../bench/redis-server.ts";
import { IN_MEMORY, ONE_REPLICA, PUT_SCENARIO, type ReplicasReport, TWO_REPLICAS } from "../bench/replicas.ts";
import type { SideBySideReport } from "../bench/side-by-side.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

const SCENARIOS = ["GET /contact?page=2&limit=20", "GET /contact/{id}", "GET /chat/{id}/message", "POST /contact"];
// wrk when it is on the PATH (the default), and autocannon (the fallback) either way.
const GENERATORS = onPath("wrk") === undefined ? ["autocannon"] : ["wrk", "autocannon"];

// `npm run bench -- --smoke`, so that the benchmark cannot rot: every server starts, every scenario is
// sent and answered, and the report is written. A few requests each: no numbers are judged here.
describe("npm run bench -- --smoke", () => {
  it.each(GENERATORS)(
    "starts the mock, Prism and the ceiling, loads every scenario with %s, reads GET list through the fetch adapter in process, and writes its report",
    async (generator) => {
      const folder = await mkdtemp(join(tmpdir(), "converseiq-bench-smoke-"));
      folders.push(folder);
      const out = join(folder, "bench.json");
      const { stdout } = await promisify(execFile)(
        join(ROOT, "node_modules/.bin/tsx"),
        ["scripts/bench.ts", "--smoke", "--generator", generator, "--out", out],
        { cwd: ROOT, timeout: 60_000 },
      );
      expect(stdout).toContain("A smoke run");
      expect(stdout).toContain(`load generator: ${generator}`);
      const report = JSON.parse(await readFile(out, "utf8")) as SideBySideReport;
      expect(report.loadSetup.generator).toBe(generator);
      expect(report.startup.map((s) => s.server)).toEqual(["mock", "prism", "ceiling"]);
      // No baseline in a smoke run (building another commit takes too long); the fetch adapter reads GET list only.
      expect(report.baseline).toBeNull();
      expect(report.inProcess?.seededMs).toBeGreaterThan(0);
      expect(report.load.map((r) => `${r.server} ${r.scenario}`)).toEqual(
        SCENARIOS.flatMap((scenario) =>
          (scenario === SCENARIOS[0]
            ? ["mock", "fetch in-process", "prism", "ceiling"]
            : ["mock", "prism", "ceiling"]
          ).map((server) => `${server} ${scenario}`),
        ),
      );
      expect(report.ratios[0]?.fetchOverMock).toBeGreaterThan(0);
      for (const row of report.load) {
        expect(row.requests, `${row.server} ${row.scenario}`).toBeGreaterThan(0);
        expect([row.errors, row.timeouts, row.non2xx], `${row.server} ${row.scenario}`).toEqual([0, 0, 0]);
      }
      expect(report.machine.cpus).toBeGreaterThan(0);
    },
    60_000,
  );
});

// `npm run bench -- --replicas --smoke`: the replicas benchmark cannot rot either: its own Redis starts, the
// mock in memory, one replica and two replicas answer both scenarios, and the two replicas agree afterwards.
const redisMissing = redisServerFile() === undefined;
if (redisMissing) {
  console.warn(
    "\n⚠ SKIPPING the smoke run of npm run bench -- --replicas: redis-server is not on the PATH " +
      "(install Debian's redis-server, as .ci/system-packages.sh does).\n",
  );
}

describe.skipIf(redisMissing)("npm run bench -- --replicas --smoke", () => {
  it("loads the mock in memory, one replica and two replicas on a Redis of its own, and the two hold the same contacts", async () => {
    const folder = await mkdtemp(join(tmpdir(), "converseiq-bench-replicas-"));
    folders.push(folder);
    const out = join(folder, "replicas.json");
    const { stdout } = await promisify(execFile)(
      join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/bench.ts", "--replicas", "--smoke", "--out", out],
      { cwd: ROOT, timeout: 60_000 },
    );
    expect(stdout).toContain("A smoke run");
    const report = JSON.parse(await readFile(out, "utf8")) as ReplicasReport;
    expect(report.load.map((r) => `${r.setup} ${r.scenario}`)).toEqual(
      [SCENARIOS[0], PUT_SCENARIO, "POST /contact"].flatMap((scenario) =>
        [IN_MEMORY, ONE_REPLICA, TWO_REPLICAS].map((setup) => `${setup} ${scenario}`),
      ),
    );
    for (const row of report.load) {
      expect(row.requests, `${row.setup} ${row.scenario}`).toBeGreaterThan(0);
      expect([row.errors, row.timeouts, row.non2xx], `${row.setup} ${row.scenario}`).toEqual([0, 0, 0]);
    }
    expect(report.memoryAfter.map((p) => p.process)).toHaveLength(5);
    for (const p of report.memoryAfter) expect(p.rssMB, p.process).toBeGreaterThan(0);
    const [a, b] = report.twoReplicasAfter;
    expect(a?.contacts).toBeGreaterThan(50);
    expect(b?.contacts).toBe(a?.contacts);
  }, 60_000);
});
