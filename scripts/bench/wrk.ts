/**
 * The load generator when wrk is on the PATH: one wrk process per run, one thread (`-t1`), pinned to a core
 * of its own when asked (`taskset -c`). Its Lua script (`wrk-scenario.lua`) sends the scenario's requests
 * and prints a JSON line at the end, which is what is read here: wrk's own text output is not parsed.
 * Latencies are wrk's (its percentiles include its correction for coordinated omission). wrk has no count
 * of requests: for a smoke run's `amount` it paces each connection so that about that many are sent in
 * `durationS`.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { LoadGenerator, Run, RunOptions, Scenario } from "./load-types.ts";

const SCRIPT = fileURLToPath(new URL("wrk-scenario.lua", import.meta.url));

/** What the script's `done()` prints after `wrk-json `. */
interface WrkJson {
  requests: number;
  durationUs: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latencyUs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

/** Numbers the runs of the process: with the time, the start of every `{n}` of a run's bodies. */
let runs = 0;
const tag = Date.now().toString(36);

export function wrk(file: string, core: number | undefined): LoadGenerator {
  return {
    name: "wrk",
    version: version(file),
    run: (base, scenario, options) => run(file, core, base, scenario, options),
  };
}

/** `wrk -v` prints its version and usage, and exits with 1. */
function version(file: string): string {
  let text: string;
  try {
    text = execFileSync(file, ["-v"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    text = String((error as { stdout?: string }).stdout ?? "");
  }
  return /^wrk (\S+)/m.exec(text)?.[1] ?? "unknown";
}

async function run(
  file: string,
  core: number | undefined,
  base: string,
  scenario: Scenario,
  options: RunOptions,
): Promise<Run> {
  if (!Number.isInteger(options.durationS) || options.durationS < 1)
    throw new Error(`wrk runs whole seconds: ${options.durationS} s`);
  const url = new URL(base);
  const basePath = url.pathname.replace(/\/$/, "");
  const headers = {
    ...options.headers,
    ...(scenario.body !== undefined ? { "content-type": "application/json" } : {}),
  };
  const settings = [
    `method ${scenario.method}`,
    ...Object.entries(headers).map(([name, value]) => `header ${name} ${value}`),
    ...scenario.paths.map((path) => `path ${basePath}${path}`),
    ...(scenario.body !== undefined ? [`body ${scenario.body}`] : []),
    `tag ${tag}r${runs++}`,
  ];
  if (settings.some((line) => line.includes("\n"))) throw new Error(`${scenario.name}: a setting holds a line break`);
  const folder = mkdtempSync(join(tmpdir(), "converseiq-wrk-"));
  try {
    const settingsFile = join(folder, "scenario.txt");
    writeFileSync(settingsFile, `${settings.join("\n")}\n`);
    const wrkArgs = [
      "-t1",
      `-c${options.connections}`,
      `-d${options.durationS}s`,
      "-s",
      SCRIPT,
      `${url.origin}/`,
      "--",
      settingsFile,
    ];
    const [command, args] = core === undefined ? [file, wrkArgs] : ["taskset", ["-c", String(core), file, ...wrkArgs]];
    const pace =
      options.amount !== undefined
        ? {
            CONVERSEIQ_WRK_DELAY_MS: String(
              Math.max(1, Math.round((options.connections * options.durationS * 1000) / options.amount)),
            ),
          }
        : {};
    const { stdout, stderr } = await promisify(execFile)(command, args, {
      encoding: "utf8",
      env: { ...process.env, ...pace },
      timeout: (options.durationS + 30) * 1000,
      maxBuffer: 16 * 2 ** 20,
    });
    const line = /^wrk-json (.*)$/m.exec(stdout)?.[1];
    if (line === undefined) throw new Error(`wrk printed no result for ${scenario.name}:\n${stdout}\n${stderr}`);
    const result = JSON.parse(line) as WrkJson;
    const { errors, latencyUs } = result;
    return {
      requests: result.requests,
      durationS: result.durationUs / 1e6,
      p50Ms: latencyUs.p50 / 1000,
      p99Ms: latencyUs.p99 / 1000,
      maxMs: latencyUs.max / 1000,
      errors: errors.connect + errors.read + errors.write,
      timeouts: errors.timeout,
      non2xx: errors.status,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
