/**
 * The Redis of `npm run bench -- --replicas`: a `redis-server` of the benchmark's own on a free loopback
 * port (another when the one picked was taken meanwhile), with no persistence (`--save ''`, no append-only
 * file) in a temporary folder, on the load generator's core when pinning is on, so that the server core is
 * the replicas' alone. Stopped with the servers (processes.ts), also on failure or Ctrl-C.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PortTakenError, withFreshPort } from "../server-port.ts";
import { onPath } from "./load.ts";
import { HOST, stopWithServers } from "./processes.ts";

const REDIS_SERVER = "redis-server";
const READY = /Ready to accept connections/;
/** What redis-server prints when its port is taken (it then exits 1). */
const PORT_TAKEN = /Address already in use/;
const START_TIMEOUT_MS = 30_000;

export interface BenchRedis {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  pid: number;
  version: string;
  /** The core it runs on (`taskset -c`), or null. */
  core: number | null;
  stop(): Promise<void>;
}

/** Where redis-server is, or undefined (the replicas benchmark is then skipped, loudly). */
export function redisServerFile(): string | undefined {
  return onPath(REDIS_SERVER);
}

export async function startRedis(file: string, core: number | null): Promise<BenchRedis> {
  const dir = mkdtempSync(join(tmpdir(), "converseiq-bench-redis-"));
  try {
    const { child, port } = await withFreshPort(async (port) => ({ child: await launch(file, port, dir, core), port }));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    return {
      url: `redis://${HOST}:${port}`,
      pid: child.pid ?? 0,
      version: version(file),
      core,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        await exited;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function launch(file: string, port: number, dir: string, core: number | null): Promise<ChildProcess> {
  const args = [
    ...["--port", String(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
    ...["--dir", dir, "--daemonize", "no", "--protected-mode", "no"],
  ];
  const [command, argv] = core === null ? [file, args] : ["taskset", ["-c", String(core), file, ...args]];
  // A group of its own (`detached`), so that the servers' exit handlers can stop it with theirs.
  const child = spawn(command, argv, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  stopWithServers(child);
  try {
    await ready(child);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  // Its log goes on being read, so that a full pipe never stops it.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** Resolves when redis-server says it accepts connections; rejects when it exits first. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const read = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
      if (READY.test(output)) settle(() => resolve());
    };
    const exited = (code: number | null, signal: NodeJS.Signals | null) => {
      const why = `redis-server exited (${code ?? signal}) before it was ready; its output:\n${output}`;
      settle(() => reject(PORT_TAKEN.test(output) ? new PortTakenError(why) : new Error(why)));
    };
    const timer = setTimeout(
      () => settle(() => reject(new Error(`redis-server not ready within ${START_TIMEOUT_MS / 1000} s:\n${output}`))),
      START_TIMEOUT_MS,
    );
    const settle = (then: () => void) => {
      clearTimeout(timer);
      child.stdout?.off("data", read);
      child.stderr?.off("data", read);
      child.off("exit", exited);
      then();
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.on("exit", exited);
  });
}

/** `Redis server v=7.0.15 sha=...`: the version. */
function version(file: string): string {
  try {
    const text = execFileSync(file, ["--version"], { encoding: "utf8" });
    return /v=(\S+)/.exec(text)?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** Resident memory of one process (`VmRSS` in `/proc/PID/status`), in bytes; undefined when unreadable. */
export function processRss(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}
