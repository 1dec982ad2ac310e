/**
 * `converseiq-contract` run as a user runs it, in a child process, for the command's tests. None of the
 * variables of the vitest that runs the test reach it (its own `VITEST*`, nor `CONTRACT_*` or
 * `CONVERSEIQ_*` from the shell), so only the flags given say what the run does; `extra` adds variables a
 * test sets on purpose (`GITHUB_STEP_SUMMARY`).
 */
import { spawn } from "node:child_process";

const BIN = new URL("../../../bin/converseiq-contract.js", import.meta.url).pathname;

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they came, interleaved. */
  output: string;
}

export function contract(args: string[], extra: Record<string, string> = {}): Promise<CommandRun> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith("VITEST") && !name.startsWith("CONTRACT_") && !name.startsWith("CONVERSEIQ_"),
    ),
  );
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, NO_COLOR: "1", ...extra } });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      output += chunk;
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr, output }));
  });
}
