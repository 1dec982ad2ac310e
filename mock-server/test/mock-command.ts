/**
 * The `converseiq-mock` command as the tests run it: a child process of the package's bin, its output
 * gathered, its exit awaited, and every one started here ended by `killCommands` (in afterAll or
 * afterEach), also after a failure.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { MOCK_LISTENING, originFromOutput } from "../../scripts/server-port.ts";

const BIN = fileURLToPath(new URL("../../bin/converseiq-mock.js", import.meta.url));
const started: ChildProcess[] = [];

export interface MockCommand {
  child: ChildProcess;
  /** What it printed so far. */
  output(): { stdout: string; stderr: string };
  /** Its exit code, once it has exited. */
  exited: Promise<number | null>;
}

/** Starts `converseiq-mock ARGS` with `env` (the test's own by default). */
export function runMockCommand(args: string[], env: NodeJS.ProcessEnv = process.env): MockCommand {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** The test's environment without its MOCK_* variables (so that only a test's flags configure the mock), and `extra`. */
export function envWithoutMockVariables(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MOCK_"))), ...extra };
}

/** Starts `converseiq-mock ARGS` with no MOCK_* variables of the test's environment but `extra`. */
export function runIsolatedMock(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const command = runMockCommand(args, envWithoutMockVariables(extra));
  return {
    ...command,
    /** The origin the command prints once it listens (a generous limit: tsx on a busy machine is slow). */
    listening: (): Promise<string> => originFromOutput(command.child, MOCK_LISTENING, 30_000),
  };
}

/** SIGKILLs every command started here that still runs. */
export function killCommands(): void {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
}
