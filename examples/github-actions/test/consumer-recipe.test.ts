/**
 * The CI recipe (consumer.yml) works as written: its shell steps that start the mock, wait for it, smoke
 * test it and stop it are taken out of the workflow and run in bash, on a free port, against a fresh mock
 * of this checkout (standing in for the installed kit, node_modules/converseiq-kit; the packed package
 * itself is tried from a consumer's node_modules by scripts/package/package.check.ts).
 *
 * The recipe's port is fixed by its consumer (MOCK_PORT), so it cannot be port 0 here: the test picks one
 * that was free a moment ago and, should another process take it before the mock binds it, starts again
 * on another (scripts/server-port.ts).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { root } from "../../../scripts/generate-lib.ts";
import { MOCK_LISTENING, PORT_TAKEN, PortTakenError, withFreshPort } from "../../../scripts/server-port.ts";

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface Workflow {
  env: Record<string, string>;
  jobs: Record<string, { if?: string; steps: Step[] }>;
}

const workflow = parse(readFileSync(join(root, "examples/github-actions/consumer.yml"), "utf8")) as Workflow;
const mockJob = workflow.jobs["tests-against-the-mock"];
const liveJob = workflow.jobs["contract-checks-against-live"];

function step(name: string): string {
  const run = mockJob?.steps.find((s) => s.name === name)?.run;
  if (!run) throw new Error(`consumer.yml has no run step named "${name}"`);
  return run;
}

/** Runs one step as GitHub runs a `run:` step on Linux (`bash --noprofile --norc -eo pipefail`). */
function runStep(script: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 40_000) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until the mock started in the background writes, to its log, that it listens on `origin`; fails
 * when it exits first (a PortTakenError when its port was taken). Checks the log every 50 ms, for at most
 * 30 s: far longer than the mock takes to start, even from source on a busy machine.
 */
async function listening(pid: number, logFile: string, origin: string): Promise<void> {
  const read = () => readFile(logFile, "utf8").catch(() => "");
  for (let waited = 0; waited < 30_000; waited += 50) {
    const log = await read();
    const said = MOCK_LISTENING.exec(log)?.[1];
    if (said !== undefined) {
      expect(said).toBe(origin);
      return;
    }
    if (!alive(pid)) {
      const last = await read();
      const why = `the mock exited before listening; its log:\n${last}`;
      throw PORT_TAKEN.test(last) ? new PortTakenError(why) : new Error(why);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the mock did not say it listens within 30 s; its log:\n${await read()}`);
}

describe("the recipe's shell steps, against a fresh mock", () => {
  let workdir: string;
  let env: NodeJS.ProcessEnv;
  let origin: string;
  let pid: number | undefined;

  beforeAll(async () => {
    // The consumer's checkout, with converseiq-kit where npm ci installs it (this repo, built).
    workdir = await mkdtemp(join(tmpdir(), "ciq-consumer-"));
    await mkdir(join(workdir, "node_modules"));
    await symlink(root, join(workdir, "node_modules", "converseiq-kit"));
  });

  afterAll(async () => {
    if (pid !== undefined && alive(pid)) process.kill(pid, "SIGKILL");
    await rm(workdir, { recursive: true, force: true });
  });

  it("starts the mock in the background", async () => {
    await withFreshPort(async (port) => {
      env = { ...process.env, ...workflow.env, MOCK_PORT: String(port) };
      origin = `http://127.0.0.1:${port}`;
      const result = await runStep(step("Start the mock"), workdir, env, 10_000);
      expect(result).toMatchObject({ code: 0 });
      pid = Number(await readFile(join(workdir, "converseiq-mock.pid"), "utf8"));
      await listening(pid, join(workdir, "converseiq-mock.log"), origin);
    });
    expect(pid !== undefined && alive(pid)).toBe(true);
  }, 60_000);

  it("waits until the mock answers", async () => {
    const result = await runStep(step("Wait for the mock"), workdir, env);
    expect(result.output).toContain(`the mock answers on port ${env.MOCK_PORT}`);
    expect(result.code).toBe(0);
  }, 45_000);

  it("smoke tests it with the key", async () => {
    const result = await runStep(step("Smoke test against the mock"), workdir, env);
    expect(result.output).toContain(`the mock is up: ${origin}/public/v1`);
    expect(result.code).toBe(0);
  });

  it("stops it, leaving no process and a closed port", async () => {
    const result = await runStep(step("Stop the mock"), workdir, env);
    expect(result.code).toBe(0);
    // Waits for the process to end (SIGTERM: it closes, writes nothing, exits), for at most 20 s.
    for (let i = 0; i < 200 && pid !== undefined && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(pid !== undefined && alive(pid)).toBe(false);
    await expect(fetch(`${origin}/public/v1/workspace`)).rejects.toThrow();
  }, 30_000);
});

describe("the recipe", () => {
  it("uses only environment variables in its run steps, so they run outside GitHub as they are", () => {
    const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((s) => (s.run ? [s.run] : [])));
    expect(runs.filter((run) => run.includes("${{"))).toEqual([]);
  });

  it("runs the contract checks against live on a schedule, with the key from a secret", () => {
    expect(liveJob?.if).toContain("schedule");
    const contract = liveJob?.steps.find((s) => s.run?.startsWith("npx converseiq-contract "));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JavaScript template
    expect(contract?.env).toEqual({ CONVERSEIQ_API_KEY: "${{ secrets.CONVERSEIQ_API_KEY }}" });
    expect(contract?.run).not.toContain("--allow-writes");
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { bin: object };
    expect(manifest.bin).toHaveProperty("converseiq-contract");
  });

  it("installs the kit as a dependency of the project, never a clone of its repository", () => {
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    expect(steps.filter((s) => s.uses?.startsWith("actions/checkout") && s.name !== undefined)).toEqual([]);
    expect(JSON.stringify(workflow)).not.toMatch(/KIT_REPOSITORY|\.converseiq-kit/);
    expect(step("Start the mock")).toContain("node_modules/converseiq-kit/bin/converseiq-mock.js");
  });
});
