/**
 * `npm run test:stress`: `npm test` five times in a row, each beside two processes that keep a CPU core
 * busy. A test that sleeps and hopes, measures the machine's speed, or races another process for a port
 * fails here sooner or later; a test that waits for events and reads time from the mock's scheduler does not.
 *
 * Prints each run's result, exit code and time, keeps each run's output in reports/tmp/stress/run-N.log
 * (the end of it is printed when a run fails), and exits 1 when any run failed. The busy processes are
 * its own children, stopped at the end, also on Ctrl-C.
 *
 *   STRESS_RUNS=2 STRESS_HOGS=2 STRESS_COMMAND="npx vitest run mock-server/test/state-file.test.ts" \
 *     npm run test:stress
 *
 * STRESS_COMMAND (a shell command, `npm test` by default) and STRESS_RUNS let the script itself be tried
 * on something smaller; STRESS_HOGS sets how many busy processes run beside it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LOGS = join(ROOT, "reports/tmp/stress");
const command = process.env.STRESS_COMMAND ?? "npm test";
const runs = whole("STRESS_RUNS", 5);
const hogCount = whole("STRESS_HOGS", 2);

function whole(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`test:stress: ${name} must be a whole number, got "${text}"\n`);
    process.exit(2);
  }
  return value;
}

const hogs: ChildProcess[] = [];
/** Stops the busy processes this script started (by their own handles, nothing else). */
function stopHogs(): void {
  for (const hog of hogs) if (hog.exitCode === null && hog.signalCode === null) hog.kill("SIGKILL");
}
process.on("exit", stopHogs);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopHogs();
    process.exit(130);
  });
}

/** One run of the command, its output to `logFile`: its exit code (1 when it died of a signal). */
function runOnce(logFile: string): Promise<number> {
  return new Promise((resolve) => {
    const log = createWriteStream(logFile);
    const child = spawn(command, { cwd: ROOT, shell: true, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on("close", (code, signal) => {
      log.end(() => resolve(code ?? (signal ? 1 : 0)));
    });
  });
}

const tail = (file: string, lines: number) => readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");

mkdirSync(LOGS, { recursive: true });
for (let i = 0; i < hogCount; i++) {
  hogs.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
}
console.log(`test:stress: ${runs} run(s) of \`${command}\` beside ${hogCount} busy process(es); logs in ${LOGS}`);

const results: { run: number; code: number; seconds: number }[] = [];
for (let run = 1; run <= runs; run++) {
  const logFile = join(LOGS, `run-${run}.log`);
  const started = performance.now();
  const code = await runOnce(logFile);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  results.push({ run, code, seconds });
  console.log(`run ${run}/${runs}: ${code === 0 ? "passed" : "FAILED"} (exit ${code}) in ${seconds} s, log ${logFile}`);
  if (code !== 0) console.log(`--- the end of run ${run}'s output ---\n${tail(logFile, 60)}\n---`);
}
stopHogs();

const failed = results.filter((r) => r.code !== 0);
console.log(
  failed.length === 0
    ? `test:stress: all ${runs} run(s) passed`
    : `test:stress: ${failed.length} of ${runs} run(s) failed: ${failed.map((r) => `run ${r.run} (exit ${r.code})`).join(", ")}`,
);
process.exit(failed.length === 0 ? 0 : 1);
