import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import type { SideBySideReport } from "./bench/side-by-side.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

// `npm run bench -- --smoke`, so that the benchmark cannot rot: every server starts, every scenario is
// sent and answered, and the report is written. A few requests each: no numbers are judged here.
describe("npm run bench -- --smoke", () => {
  it("starts the mock, Prism and the ceiling, sends every scenario, and writes its report", async () => {
    const folder = await mkdtemp(join(tmpdir(), "converseiq-bench-smoke-"));
    folders.push(folder);
    const out = join(folder, "bench.json");
    const { stdout } = await promisify(execFile)(
      join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/bench.ts", "--smoke", "--out", out],
      { cwd: ROOT, timeout: 60_000 },
    );
    expect(stdout).toContain("A smoke run");
    const report = JSON.parse(await readFile(out, "utf8")) as SideBySideReport;
    expect(report.startup.map((s) => s.server)).toEqual(["mock", "prism", "ceiling"]);
    expect(report.load.map((r) => `${r.server} ${r.scenario}`)).toEqual([
      "mock GET /contact?page=2&limit=20",
      "prism GET /contact?page=2&limit=20",
      "ceiling GET /contact?page=2&limit=20",
      "mock GET /contact/{id}",
      "prism GET /contact/{id}",
      "mock GET /chat/{id}/message",
      "prism GET /chat/{id}/message",
      "mock POST /contact",
      "prism POST /contact",
    ]);
    for (const row of report.load) {
      expect(row.requests, `${row.server} ${row.scenario}`).toBeGreaterThan(0);
      expect([row.errors, row.non2xx], `${row.server} ${row.scenario}`).toEqual([0, 0]);
    }
    expect(report.machine.cpus).toBeGreaterThan(0);
  }, 60_000);
});
