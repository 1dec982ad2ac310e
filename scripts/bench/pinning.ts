/**
 * Cores of their own for the load generator and the server it measures (`taskset`, Linux): the generator
 * on core 0, the server on core 1, so that the generator's work is not counted against the server. Used
 * when `taskset` is on the PATH and this process may run on both cores; the report says whether it was.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { onPath } from "./load.ts";
import type { ServerSpec } from "./processes.ts";

export const GENERATOR_CORE = 0;
export const SERVER_CORE = 1;

export interface Pinning {
  used: boolean;
  /** `taskset -c` cores, when used. */
  loadGeneratorCore: number | null;
  serverCore: number | null;
  /** Why not, when not used. */
  reason: string | null;
}

export function planPinning(wanted: boolean): Pinning {
  const off = (reason: string): Pinning => ({ used: false, loadGeneratorCore: null, serverCore: null, reason });
  if (!wanted) return off("--no-pinning");
  if (onPath("taskset") === undefined) return off("taskset is not on the PATH");
  const allowed = allowedCores();
  if (allowed === undefined) return off("the cores this process may use are unknown (no /proc/self/status)");
  if (!allowed.has(GENERATOR_CORE) || !allowed.has(SERVER_CORE))
    return off(`this process may not use both core ${GENERATOR_CORE} and core ${SERVER_CORE}`);
  return { used: true, loadGeneratorCore: GENERATOR_CORE, serverCore: SERVER_CORE, reason: null };
}

/** The same server, started through `taskset -c CORE` (which execs it: same pid, same process group). */
export function pinned(spec: ServerSpec, core: number | null): ServerSpec {
  if (core === null) return spec;
  return { ...spec, command: "taskset", args: (port) => ["-c", String(core), spec.command, ...spec.args(port)] };
}

/**
 * Pins every thread of this process to `core` (for autocannon, which runs in it); returns a function that
 * gives the process back the cores it had.
 */
export function pinThisProcess(core: number): () => void {
  const before = [...(allowedCores() ?? [])].join(",");
  const set = (cores: string) =>
    execFileSync("taskset", ["-a", "-p", "-c", cores, String(process.pid)], { stdio: "ignore" });
  set(String(core));
  return () => {
    if (before !== "") set(before);
  };
}

/** The cores this process may run on (`Cpus_allowed_list`, e.g. `0-1` or `0,2-3`). */
function allowedCores(): Set<number> | undefined {
  let status: string;
  try {
    status = readFileSync("/proc/self/status", "utf8");
  } catch {
    return undefined;
  }
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];
  if (list === undefined) return undefined;
  const cores = new Set<number>();
  for (const part of list.split(",")) {
    const [from, to = from] = part.split("-").map(Number);
    if (from === undefined || to === undefined) continue;
    for (let core = from; core <= to; core++) cores.add(core);
  }
  return cores;
}
