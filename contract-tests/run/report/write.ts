/**
 * The end of a run of `runContract`: the text report printed, and the files asked for written (JUnit,
 * JSON), or the GitHub annotations and job summary (`writeReports`, which the replay uses too). Also the
 * one vitest reporter the run has, which passes the suites' own console lines on (the seed of a fuzzing
 * run, warnings), each line once.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Reporter } from "vitest/node";
import type { CheckRecord } from "./checks.ts";
import { reportToGithub } from "./github.ts";
import { jsonReport } from "./json.ts";
import { junitXml } from "./junit.ts";
import { textReport } from "./text.ts";

export type ReporterName = "default" | "github";
export const REPORTERS: readonly ReporterName[] = ["default", "github"];

export interface ReportOptions {
  target: string;
  suites: readonly string[];
  ok: boolean;
  reporter: ReporterName;
  junit: string | undefined;
  json: string | undefined;
  /** What the checks are, in the job summary's heading (default "Contract checks"). */
  title?: string | undefined;
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export function reportRun(records: readonly CheckRecord[], options: ReportOptions): void {
  console.log(textReport(records, options.suites, options.target));
  writeReports(records, options);
}

/**
 * What a run asked for beside its text: the GitHub annotations (told to `print`) and job summary, the
 * JUnit and JSON files. The contract run and the replay (replay.ts) share it, each with its own text.
 */
export function writeReports(
  records: readonly CheckRecord[],
  options: ReportOptions,
  print: (line: string) => void = console.log,
): void {
  if (options.reporter === "github")
    reportToGithub(records, options.suites, options.target, process.env, print, options.title);
  if (options.junit) write(options.junit, junitXml(records, options.suites));
  if (options.json)
    write(options.json, `${JSON.stringify(jsonReport(records, options.target, options.ok), null, 2)}\n`);
}

/** The suites' console lines, each once (every file warns that writes are off, naming itself). */
export function consoleLines(): Reporter {
  const seen = new Set<string>();
  return {
    onUserConsoleLog(log) {
      const line = log.content.replace(/\s+\[[\w-]+\]\s*$/, "").trimEnd();
      if (line === "" || seen.has(line)) return;
      seen.add(line);
      (log.type === "stderr" ? process.stderr : process.stdout).write(`${line}\n`);
    },
  };
}
