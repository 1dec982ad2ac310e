/**
 * The Redis of `npm run bench -- --replicas`: a `redis-server` of the benchmark's own (../redis-server.ts: a
 * free loopback port, no persistence, a temporary folder), on the load generator's core when pinning is on,
 * so that the server core is the replicas' alone. Stopped with the servers (processes.ts), also on failure
 * or Ctrl-C.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { REDIS_SERVER, startRedisServer } from "../redis-server.ts";
import { onPath } from "./load.ts";
import { stopWithServers } from "./processes.ts";

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
  const server = await startRedisServer({
    file,
    commandPrefix: core === null ? [] : ["taskset", "-c", String(core)],
    folderPrefix: "converseiq-bench-redis-",
    // A group of its own, so that the servers' exit handlers can stop it with theirs.
    detached: true,
    startTimeoutMs: START_TIMEOUT_MS,
    onSpawn: stopWithServers,
  });
  return {
    url: server.url,
    pid: server.child.pid ?? 0,
    version: version(file),
    core,
    stop: () => server.close(),
  };
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
